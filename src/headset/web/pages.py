"""The pages outside administration: sign-in, two-factor set-up, settings, each role's home."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from headset.access.redirects import safe_next
from headset.accounts.sessions import session_expires_at
from headset.accounts.sign_in import CODE_NEEDED
from headset.api.principal import SESSION_COOKIE
from headset.api.runtime import runtime_of
from headset.routing.model import AgentState
from headset.web.i18n import is_language
from headset.web.rendering import Renderer
from headset.web.resources import N_, ROLE_LABELS
from headset.web.visitor import LANGUAGE_COOKIE, Visitor, anonymous_language, visitor_of

router = APIRouter(include_in_schema=False)

STATE_LABELS = {
    AgentState.OFFLINE: N_("Offline"),
    AgentState.AVAILABLE: N_("Available"),
    AgentState.RESERVED: N_("Offer pending"),
    AgentState.BUSY: N_("On a contact"),
    AgentState.WRAP_UP: N_("Wrap-up"),
    AgentState.AWAY: N_("Away"),
}


def renderer(request: Request) -> Renderer:
    found: Renderer = request.app.state.renderer
    return found


def gate(request: Request, allowed: bool | None = None) -> Visitor | Response:
    """The signed-in visitor, or the response that sends them where they must go first."""
    visitor = visitor_of(request)
    if visitor is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/sign-in?next=" + quote(target, safe=""), status_code=303)
    if visitor.is_second_factor_pending and request.url.path != "/sign-in/two-factor":
        return RedirectResponse("/sign-in/two-factor", status_code=303)
    return visitor


def refuse(request: Request, visitor: Visitor, status: int, title: str, detail: str) -> Response:
    return renderer(request).render(
        request, "error.html", visitor.language, visitor, status=status, title=title, detail=detail
    )


def forbidden(request: Request, visitor: Visitor) -> Response:
    _ = renderer(request).translator(visitor.language)
    return refuse(
        request,
        visitor,
        403,
        _("Not for your role"),
        _("Your role may not open this page. Your start page has what you need."),
    )


@router.get("/")
def index(request: Request) -> Response:
    visitor = visitor_of(request)
    if visitor is None:
        return RedirectResponse("/sign-in", status_code=303)
    if visitor.is_second_factor_pending:
        return RedirectResponse("/sign-in/two-factor", status_code=303)
    return RedirectResponse(visitor.home, status_code=303)


@router.get("/sign-in")
def sign_in(request: Request, next: str | None = None, lang: str | None = None) -> Response:
    visitor = visitor_of(request)
    if visitor is not None and not visitor.is_second_factor_pending:
        return RedirectResponse(safe_next(next) if next else visitor.home, status_code=303)
    language = lang if is_language(lang) else anonymous_language(request)
    response = renderer(request).render(
        request, "sign_in.html", str(language), next=safe_next(next), code_needed=CODE_NEEDED
    )
    if is_language(lang):
        response.set_cookie(LANGUAGE_COOKIE, str(lang), max_age=365 * 86400, samesite="lax")
    return response


@router.get("/sign-in/two-factor")
def two_factor(request: Request) -> Response:
    visitor = gate(request)
    if not isinstance(visitor, Visitor):
        return visitor
    return renderer(request).render(request, "two_factor.html", visitor.language, visitor)


@router.get("/settings")
def settings(request: Request) -> Response:
    visitor = gate(request)
    if not isinstance(visitor, Visitor):
        return visitor
    rt = runtime_of(request)
    expires_at = _session_end(request) or rt.now()
    return renderer(request).render(
        request,
        "settings.html",
        visitor.language,
        visitor,
        today=rt.now().date(),
        role_label=ROLE_LABELS[visitor.principal.role.value],
        expires_at=expires_at.isoformat(),
        expires_at_value=expires_at,
    )


def _session_end(request: Request) -> datetime | None:
    rt = runtime_of(request)
    session_id = request.cookies.get(SESSION_COOKIE, "")
    return session_expires_at(rt.reader, rt.settings.secret_key, session_id)


@router.get("/desktop")
def desktop(request: Request) -> Response:
    visitor = gate(request)
    if not isinstance(visitor, Visitor):
        return visitor
    if not visitor.may_desktop:
        return forbidden(request, visitor)
    rt = runtime_of(request)
    agent_id = visitor.principal.agent_id
    record = rt.host.engine.state.agents.get(agent_id or "")
    state = record.state if record is not None else AgentState.OFFLINE
    return renderer(request).render(
        request,
        "desktop.html",
        visitor.language,
        visitor,
        agent_id=agent_id,
        state_label=STATE_LABELS[state],
    )


@router.get("/wallboard")
def wallboard(request: Request) -> Response:
    visitor = gate(request)
    if not isinstance(visitor, Visitor):
        return visitor
    if not visitor.may_wallboard:
        return forbidden(request, visitor)
    return renderer(request).render(request, "wallboard.html", visitor.language, visitor)
