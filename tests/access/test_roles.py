"""The roles: six of them, each with a stable value and a meaning a person can read."""

from __future__ import annotations

from headset.access.roles import Role


def test_the_six_roles_have_stable_wire_values() -> None:
    assert [role.value for role in Role] == [
        "admin",
        "manager",
        "supervisor",
        "team_leader",
        "qa",
        "agent",
    ]


def test_a_role_is_read_from_its_wire_value() -> None:
    assert Role("team_leader") is Role.TEAM_LEADER


def test_every_role_says_what_it_means_in_one_line() -> None:
    for role in Role:
        assert role.meaning
        assert "\n" not in role.meaning
    assert "tenants" in Role.ADMIN.meaning


def test_roles_read_naturally_in_a_sentence() -> None:
    assert Role.TEAM_LEADER.with_article == "a team leader"
    assert Role.ADMIN.with_article == "an admin"
    assert Role.QA.with_article == "a QA specialist"
    assert Role.AGENT.label == "agent"
