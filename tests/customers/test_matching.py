"""The rule for claims of identity: unverified input never updates or claims a customer."""

from __future__ import annotations

from headset.customers.matching import Claim, Decision, Source, decide, lookup_key, masked


def test_an_unverified_claim_that_names_a_customer_makes_a_new_one_that_may_be_them() -> None:
    assert decide(Source.UNVERIFIED, "cu_vera") == Decision(possible_match_id="cu_vera")
    assert decide(Source.UNVERIFIED, "cu_vera").creates


def test_a_verified_claim_brings_the_customer_it_names_up_to_date() -> None:
    assert decide(Source.VERIFIED, "cu_vera") == Decision(update_id="cu_vera")
    assert not decide(Source.VERIFIED, "cu_vera").creates


def test_a_claim_that_names_nobody_makes_a_new_customer() -> None:
    for source in Source:
        assert decide(source, None) == Decision()


def test_verified_claims_are_looked_up_by_external_id_unverified_by_address() -> None:
    claim = Claim(name="Vera", email="vera@example.com", phone="+37120000067", external_id="v1")
    assert lookup_key(claim, Source.VERIFIED) == ("external_id", "v1")
    assert lookup_key(claim, Source.UNVERIFIED) == ("email", "vera@example.com")
    assert lookup_key(Claim(phone="+37120000067"), Source.UNVERIFIED) == ("phone", "+37120000067")
    assert lookup_key(Claim(email="vera@example.com"), Source.VERIFIED) is None
    assert lookup_key(Claim(name="Vera"), Source.UNVERIFIED) is None


def test_a_claim_keeps_only_what_was_given() -> None:
    assert Claim(name="Vera", email=None, language="lv").values() == {
        "name": "Vera",
        "language": "lv",
    }


def test_the_hint_at_a_possible_match_shows_no_name_or_address() -> None:
    hint = masked("Vera Victim", "vera.victim@example.com", "+371 2000 0067")
    assert hint == "V*** V***, v***@e***.com, ***67"
    assert "Vera" not in hint
    assert "victim" not in hint
    assert masked(None, None) == "***"
