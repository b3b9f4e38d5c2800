"""The headers every HTTP answer carries: CSP, nosniff, Referrer-Policy, HSTS, Secure cookies.

One place decides them for the whole service (`SecurityHeaders`, wrapped around the app in
`HeadsetApp.__call__`, so even a 500 carries them):

- `X-Content-Type-Options: nosniff` on every answer;
- `Referrer-Policy: same-origin` unless the route chose another (the survey: no-referrer);
- `Content-Security-Policy: STAFF_POLICY` unless the route set its own (the chat page lets the
  widget's sites frame it; the survey page loads nothing but its style sheet; files served as
  downloads are `sandbox`ed), and `X-Frame-Options: DENY` with it for old browsers;
- over TLS, `Strict-Transport-Security` and the `Secure` flag on every cookie set; with
  HEADSET_COOKIE_SECURE=1 cookies are Secure whatever the scheme (a TLS proxy whose
  X-Forwarded-Proto is not trusted).

"Over TLS" is the request's scheme as uvicorn gives it: https when the service itself speaks
TLS, or when a proxy it trusts (uvicorn's --forwarded-allow-ips, FORWARDED_ALLOW_IPS,
127.0.0.1 by default) says `X-Forwarded-Proto: https`. Over plain http (the demo on
127.0.0.1) cookies are not Secure, so the browser keeps sending them. See docs/service.md.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Scope, Send

#: Staff pages, the API and /docs: scripts only from this origin's files (no inline script,
#: no eval), never framed. Styles may be inline: the e-mail view shows sanitised HTML in a
#: sandboxed srcdoc frame, which inherits this policy, and styles cannot run script.
DIRECTIVES: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "media-src": "'self' blob:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
#: A year: browsers then refuse plain http to this host for that long.
HSTS = "max-age=31536000"


def content_security_policy(**changes: str) -> str:
    """The staff policy with some directives changed (`frame_ancestors="'self' https://a.b"`)."""
    directives = dict(DIRECTIVES)
    for name, value in changes.items():
        directives[name.replace("_", "-")] = value
    return "; ".join(f"{name} {value}" for name, value in directives.items())


STAFF_POLICY = content_security_policy()


def is_tls(scope: Scope) -> bool:
    """The request came over TLS (directly, or said so by a trusted proxy)."""
    return scope.get("scheme") in ("https", "wss")


def secure_cookie(value: str) -> str:
    """A Set-Cookie value with the Secure attribute (added once)."""
    attributes = [part.strip().lower() for part in value.split(";")[1:]]
    return value if "secure" in attributes else value + "; Secure"


class SecurityHeaders:
    """Wraps `send` of one HTTP request so its answer carries the headers above."""

    def __init__(self, *, is_cookie_secure: bool = False) -> None:
        self.is_cookie_secure = is_cookie_secure

    def wrap(self, scope: Scope, send: Send) -> Send:
        tls = is_tls(scope)
        secure_cookies = tls or self.is_cookie_secure

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers.setdefault("Referrer-Policy", "same-origin")
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = STAFF_POLICY
                    headers.setdefault("X-Frame-Options", "DENY")
                if tls:
                    headers["Strict-Transport-Security"] = HSTS
                if secure_cookies:
                    cookies = headers.getlist("set-cookie")
                    if cookies:
                        del headers["set-cookie"]
                        for cookie in cookies:
                            headers.append("set-cookie", secure_cookie(cookie))
            await send(message)

        return with_headers
