"""The survey page an e-mail contact's survey link opens (docs/email.md, "Survey link"): a
page of the customer's, like the chat page, so it lives with the pages, not the API.

`GET /survey/{token}` shows one question (a rating 1-5 and an optional comment) and
`POST /survey/{token}` (an HTML form, no script) stores the answer once per contact
(mailroom/survey_answers.py); a wrong token is a 404 page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from headset.api.runtime import Runtime, runtime_of
from headset.api.security_headers import content_security_policy
from headset.chat.surveys import survey_answer
from headset.core.errors import Invalid
from headset.mailroom.survey_answers import answer_survey, is_answered, surveyed_contact
from headset.web.i18n import DEFAULT_LANGUAGE, LANGUAGES
from headset.web.rendering import Renderer

router = APIRouter(include_in_schema=False)


def _page(request: Request, row: Any, state: str, error: str = "", status: int = 200) -> Response:
    language = row.language if row is not None and row.language in LANGUAGES else None
    renderer: Renderer = request.app.state.renderer
    env = renderer.environments[language or DEFAULT_LANGUAGE]
    html = env.get_template("mail/survey.html").render(
        state=state,
        error=error,
        subject=row.subject if row is not None else "",
        sender=row.display_name if row is not None else "",
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token stays in this page
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = content_security_policy(  # no script at all
        default_src="'none'",
        script_src="'none'",
        style_src="'self'",
        img_src="'none'",
        media_src="'none'",
        connect_src="'none'",
    )
    return response


def _missing() -> Response:
    return HTMLResponse(
        "<!doctype html><title>Survey</title><p>This survey link is not valid.</p>",
        status_code=404,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


async def _surveyed(request: Request, token: str) -> tuple[Runtime, Any]:
    """The runtime, and the contact the link names (None: not a valid link)."""
    rt = runtime_of(request)
    row = await run_in_threadpool(surveyed_contact, rt.reader, rt.settings.secret_key, token)
    return rt, row


@router.get("/survey/{token}")
async def survey_page(token: str, request: Request) -> Response:
    rt, row = await _surveyed(request, token)
    if row is None:
        return _missing()
    answered = await run_in_threadpool(is_answered, rt.reader, row.tenant_id, row.contact_id)
    return _page(request, row, "answered" if answered else "ask")


@router.post("/survey/{token}")
async def answer(token: str, request: Request) -> Response:
    rt, row = await _surveyed(request, token)
    if row is None:
        return _missing()
    # a plain HTML form (application/x-www-form-urlencoded), read without a multipart parser
    body = (await request.body()).decode("utf-8", "replace")
    try:
        form = parse_qs(body, max_num_fields=10)
        rating = int((form.get("rating") or ["0"])[0])
        given = survey_answer(rating, (form.get("comment") or [""])[0] or None)
    except (ValueError, Invalid):
        env = request.app.state.renderer.translations
        gettext = env[row.language if row.language in LANGUAGES else DEFAULT_LANGUAGE].gettext
        return _page(request, row, "ask", gettext("Choose a rating from 1 to 5."), 422)
    is_stored = await answer_survey(rt.host, row, given)
    return _page(request, row, "thanks" if is_stored else "answered")
