"""After sign-in a visitor goes back only to a path on this site (issue 12, finding 5)."""

from __future__ import annotations

import pytest

from headset.access.redirects import HOME, safe_next

#: Each is read by some browser as another site, a script, or nothing local.
REFUSED = [
    # the hostile tester's, as the query string decodes them
    "/\\evil.example/phish",
    "/\t/evil.example",
    # and their kin
    "//evil.example",
    "//evil.example/path",
    "/\\\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%252F%252Fevil.example",  # encoded twice
    "/%09/evil.example",
    "/%0A/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/ /evil.example",
    " /admin",
    "/admin\x00",
    "/\u200b/evil.example",  # a zero-width space
    "/\u3000/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "/javascript:alert(1)//%0a",
    "data:text/html,<script>alert(1)</script>",
    "http://evil.example",
    "https:evil.example",
    "evil.example",
    "admin",
    "",
    "/" + "a" * 2001,
]


@pytest.mark.parametrize("value", REFUSED)
def test_anything_but_a_local_path_sends_the_visitor_home(value: str) -> None:
    assert safe_next(value) == HOME


@pytest.mark.parametrize(
    "value",
    [
        "/",
        "/desktop",
        "/admin/t/alpha/skills",
        "/wallboard?queue=alpha-sales#agents",
        "/admin/t/alpha/users?q=ann%20b",  # an encoded space is fine: it stays encoded
        "/admin/t/alpha/users/u_1/edit",
    ],
)
def test_a_path_on_this_site_is_kept_as_it_is(value: str) -> None:
    assert safe_next(value) == value


def test_nothing_given_is_home() -> None:
    assert safe_next(None) == HOME
