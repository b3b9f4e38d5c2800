"""Every answer carries the security headers, and no page runs inline script (issue 12).

Each page of the site is opened — enumerated from the app's own routes, so a new page that
this test does not open fails it — anonymously and signed in as every role, over plain http
(the demo) and over https as a trusted proxy reports it (`X-Forwarded-Proto` from 127.0.0.1,
which uvicorn trusts by default). So are the widget's pages, /docs, static files and API
answers, errors included. Every answer must carry nosniff, a Referrer-Policy and the CSP
(script-src 'self' only, object-src 'none', base-uri 'none', form-action 'self',
frame-ancestors 'none' except where the widget's sites may frame the chat page); over https
HSTS too, and every cookie Secure. Every HTML page is parsed: each <script> loads a file (or
is a JSON data block, which never runs) and no element has an on* handler.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from starlette.routing import Route

from headset.access.passwords import FAST_FOR_TESTS
from headset.api.app import create_app
from headset.config import Settings
from headset.web import admin, api_docs, chat_pages, pages
from headset.web.resources import RESOURCES
from tests.service.conftest import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    SECRET,
    Center,
    Served,
    ok,
    seed_admin,
    start_center,
)

ROLES = ("admin", "manager", "supervisor", "team_leader", "qa", "agent")
ORIGIN = "https://shop.example.com"
HTTPS = {"X-Forwarded-Proto": "https"}
#: Path parameters of the pages, filled with what the seeded center has.
ITEMS = {
    "queues": "alpha-sales",
    "skills": "alpha-french",
    "teams": "alpha-team",
    "agents": "alpha-agent",
    "widgets": "shop",
}


@dataclass
class Site:
    center: Center
    widget_key: str
    #: role -> the session cookie's value
    sessions: dict[str, str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    center = start_center(tmp_path_factory.mktemp("headers"))
    try:
        widget = {
            "display_name": "Alpha Shop",
            "topics": [{"topic_id": "sales", "label": "Buying", "queue_id": "alpha-sales"}],
            "allowed_origins": [ORIGIN],
        }
        key = ok(center.admin.put("/api/v1/tenants/alpha/widgets/shop", json=widget))
        sessions = {"admin": _session(center.url, ADMIN_USER, ADMIN_PASSWORD)}
        for role in ROLES[1:]:
            username, password, _ = center.tenants["alpha"].users[role]
            sessions[role] = _session(center.url, username, password)
        yield Site(center, key["widget_key"], sessions)
    finally:
        center.close()
        center.served.stop()


def _session(url: str, username: str, password: str) -> str:
    with httpx.Client(base_url=url) as client:
        answer = client.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        assert answer.status_code == 200, answer.text
        return str(answer.cookies["headset_session"])


def page_paths(widget_key: str) -> list[str]:
    """Every GET page of the site, its parameters filled; asserts none is left out."""
    paths: list[str] = []
    routes = [*pages.router.routes, *admin.router.routes, *chat_pages.router.routes]
    routes += api_docs.router.routes
    for route in routes:
        assert isinstance(route, Route)
        if "GET" not in (route.methods or ()):
            continue
        template = route.path
        if "{slug}" in template:
            for slug in RESOURCES:
                if slug == "tenants":
                    continue
                item = ITEMS.get(slug, "no-such-item")
                paths.append(_fill(template, slug=slug, item_id=item))
        else:
            paths.append(_fill(template, item_id="alpha", widget_key=widget_key))
    assert not [p for p in paths if "{" in p], "a page has a parameter this test cannot fill"
    return paths


def _fill(template: str, **values: str) -> str:
    values = {"tenant_id": "alpha", **values}
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)


def csp_of(answer: httpx.Response) -> dict[str, str]:
    policy = answer.headers.get("content-security-policy")
    assert policy, f"{answer.request.url} has no Content-Security-Policy"
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value.strip()
    return directives


def check_headers(answer: httpx.Response, *, is_https: bool, framed_by: str = "'none'") -> None:
    where = f"{answer.request.method} {answer.request.url} ({answer.status_code})"
    assert answer.headers.get("x-content-type-options") == "nosniff", where
    assert answer.headers.get("referrer-policy") in ("same-origin", "no-referrer"), where
    csp = csp_of(answer)
    if csp.get("default-src") != "'none'" or "script-src" in csp:
        assert csp.get("script-src") in ("'self'", "'none'"), f"{where}: {csp}"
    assert csp.get("object-src") == "'none'", where
    assert csp.get("base-uri") == "'none'", where
    assert csp.get("form-action") == "'self'", where
    assert csp.get("frame-ancestors") == framed_by, where
    hsts = answer.headers.get("strict-transport-security")
    if is_https:
        assert hsts is not None, where
        assert int(hsts.split("max-age=")[1].split(";")[0]) >= 180 * 86400, where
        for cookie in answer.headers.get_list("set-cookie"):
            assert "secure" in [a.strip().lower() for a in cookie.split(";")[1:]], where
    else:
        assert hsts is None, where


class Scripts(HTMLParser):
    """Collects what would run: scripts without a file, handler attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.script_count = 0
        self.has_htmx = False
        self.htmx_config: dict[str, object] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name.lower(): value or "" for name, value in attrs}
        for name, value in found.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "meta" and found.get("name") == "htmx-config":
            self.htmx_config = json.loads(found.get("content") or "{}")
        if tag == "script" and "htmx" in found.get("src", ""):
            self.has_htmx = True
        if tag == "script":
            self.script_count += 1
            if not found.get("src") and found.get("type") != "application/json":
                self.problems.append(f"inline <script {found}>")


def check_html(answer: httpx.Response) -> None:
    if not answer.headers.get("content-type", "").startswith("text/html"):
        return
    parser = Scripts()
    parser.feed(answer.text)
    assert not parser.problems, f"{answer.request.url}: {parser.problems}"
    if parser.has_htmx:  # htmx would otherwise eval hx-on/js: attributes and swapped scripts
        assert parser.htmx_config.get("allowEval") is False, answer.request.url
        assert parser.htmx_config.get("allowScriptTags") is False, answer.request.url


def _client(site: Site, role: str | None, is_https: bool) -> httpx.Client:
    headers = dict(HTTPS) if is_https else {}
    if role is not None:
        headers["Cookie"] = f"headset_session={site.sessions[role]}"
    return httpx.Client(base_url=site.center.url, headers=headers, timeout=10)


def _framed_by(site: Site, path: str) -> str:
    return f"'self' {ORIGIN}" if path.startswith(f"/chat/{site.widget_key}") else "'none'"


@pytest.mark.parametrize("is_https", [False, True], ids=["http", "https"])
@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_page_carries_the_headers_and_runs_no_inline_script(
    site: Site, role: str | None, is_https: bool
) -> None:
    paths = page_paths(site.widget_key)
    assert "/docs" in paths
    assert f"/chat/{site.widget_key}" in paths
    with _client(site, role, is_https) as client:
        for path in [*paths, f"/chat/{site.widget_key}?embed=1"]:
            answer = client.get(path)
            assert answer.status_code < 500, path
            check_headers(answer, is_https=is_https, framed_by=_framed_by(site, path))
            check_html(answer)


@pytest.mark.parametrize("is_https", [False, True], ids=["http", "https"])
def test_static_files_api_answers_and_errors_carry_the_headers(site: Site, is_https: bool) -> None:
    static = Path(pages.__file__).parent / "static"
    files = ["/static/css/headset.css", "/static/js/page.js", "/static/js/api-docs.js"]
    files += ["/static/widget/chat.js", "/static/vendor/htmx.min.js", "/widget.js"]
    for name in api_docs.ASSETS:
        files.append(f"{api_docs.PATH}/{name}")
    assert all((static / f.removeprefix("/static/")).is_file() for f in files if "static" in f)
    with _client(site, "manager", is_https) as client:
        answers = [client.get(f) for f in files]
        answers += [
            client.get("/openapi.json"),
            client.get("/api/v1/auth/me"),
            client.get("/api/v1/tenants/alpha/queues"),
            client.get("/api/v1/no-such-thing"),  # 404
            client.delete("/api/v1/tenants/alpha/queues/alpha-sales"),  # 403 for the CSRF
            client.post("/api/v1/tenants/alpha/queues", content=b"{"),  # 422 or 403
            client.get("/survey/not-a-token"),
            client.get("/chat/no-such-widget"),
            client.get(f"/api/v1/chat/{site.widget_key}"),
        ]
        not_served = [client.get("/redoc"), client.get("/docs/oauth2-redirect")]
        assert [a.status_code for a in not_served] == [404, 404]
        answers += not_served
    with _client(site, None, is_https) as anonymous:
        answers.append(anonymous.get("/api/v1/auth/me"))  # 401
        answers.append(anonymous.post("/api/v1/auth/login", json={"username": "x"}))  # 422
        answers.append(
            anonymous.get(
                f"/api/v1/chat/{site.widget_key}", headers={"Origin": "https://evil.example"}
            )
        )  # 403 by the widget's CORS
    statuses = {a.status_code for a in answers}
    assert {200, 401, 403, 404, 422} <= statuses
    for answer in answers:
        check_headers(answer, is_https=is_https)
        check_html(answer)


def test_over_https_the_session_and_language_cookies_are_secure(site: Site) -> None:
    with httpx.Client(base_url=site.center.url, headers=HTTPS) as client:
        login = client.post(
            "/api/v1/auth/login", json={"username": ADMIN_USER, "password": ADMIN_PASSWORD}
        )
        language = client.get("/sign-in?lang=nl")
    for answer in (login, language):
        check_headers(answer, is_https=True)
        cookies = answer.headers.get_list("set-cookie")
        assert cookies
        assert all(re.search(r";\s*Secure(;|$)", c, re.IGNORECASE) for c in cookies), cookies


def test_over_plain_http_cookies_work_for_the_demo(site: Site) -> None:
    with httpx.Client(base_url=site.center.url) as client:
        login = client.post(
            "/api/v1/auth/login", json={"username": ADMIN_USER, "password": ADMIN_PASSWORD}
        )
        check_headers(login, is_https=False)
        (cookie,) = login.headers.get_list("set-cookie")
        assert "secure" not in cookie.lower()
        assert "httponly" in cookie.lower()
        assert client.get("/api/v1/auth/me").status_code == 200  # the cookie is sent back


def test_an_operator_can_make_cookies_secure_whatever_the_scheme(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/h.db"
    seed_admin(url)
    settings = Settings(database_url=url, secret_key=SECRET, is_cookie_secure=True)
    served = Served(create_app(settings, passwords=FAST_FOR_TESTS))
    try:
        with httpx.Client(base_url=served.url) as client:
            answer = client.post(
                "/api/v1/auth/login", json={"username": ADMIN_USER, "password": ADMIN_PASSWORD}
            )
        assert answer.status_code == 200
        (cookie,) = answer.headers.get_list("set-cookie")
        assert re.search(r";\s*Secure(;|$)", cookie, re.IGNORECASE)
        assert "strict-transport-security" not in answer.headers  # HSTS only over TLS
    finally:
        served.stop()
