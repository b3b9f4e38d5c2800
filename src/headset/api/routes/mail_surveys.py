"""The survey page an e-mail contact's survey link opens (docs/email.md, "Survey link").

`GET /survey/{token}` shows one question (a rating 1-5 and an optional comment) and
`POST /survey/{token}` (an HTML form, no script) stores the answer once per contact in
`survey_answers`, where it counts in CSAT like a chat's. The token names the contact and is
signed with the service's secret key (mail/surveys.py); a wrong token is a 404 page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from sqlalchemy import Connection, insert, select
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from headset.api.deps import reading
from headset.api.runtime import Runtime, runtime_of
from headset.api.security_headers import content_security_policy
from headset.chat.surveys import survey_answer
from headset.core.errors import Conflict, Invalid
from headset.mail.surveys import read_survey_token
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import contacts, customers, mail_threads, mailboxes, survey_answers
from headset.web.i18n import DEFAULT_LANGUAGE, LANGUAGES
from headset.web.rendering import Renderer

router = APIRouter(include_in_schema=False)

ANSWERED = "mail.survey_answered"


def _contact(rt: Runtime, token: str) -> Any:
    found = read_survey_token(rt.settings.secret_key, token)
    if found is None:
        return None
    tenant_id, contact_id = found
    with reading(rt) as conn:
        return conn.execute(
            select(
                contacts.c.tenant_id,
                contacts.c.contact_id,
                contacts.c.queue_id,
                contacts.c.status,
                customers.c.language,
                mail_threads.c.subject,
                mailboxes.c.display_name,
            )
            .join_from(
                contacts,
                mail_threads,
                (mail_threads.c.tenant_id == contacts.c.tenant_id)
                & (mail_threads.c.contact_id == contacts.c.contact_id),
            )
            .join(
                mailboxes,
                (mailboxes.c.tenant_id == mail_threads.c.tenant_id)
                & (mailboxes.c.mailbox_id == mail_threads.c.mailbox_id),
            )
            .join(
                customers,
                (customers.c.tenant_id == contacts.c.tenant_id)
                & (customers.c.customer_id == contacts.c.customer_id),
                isouter=True,
            )
            .where(contacts.c.tenant_id == tenant_id, contacts.c.contact_id == contact_id)
        ).first()


def _is_answered(rt: Runtime, row: Any) -> bool:
    with reading(rt) as conn:
        return (
            conn.execute(
                select(survey_answers.c.contact_id).where(
                    survey_answers.c.tenant_id == row.tenant_id,
                    survey_answers.c.contact_id == row.contact_id,
                )
            ).first()
            is not None
        )


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


@router.get("/survey/{token}")
async def survey_page(token: str, request: Request) -> Response:
    rt = runtime_of(request)
    row = await run_in_threadpool(_contact, rt, token)
    if row is None:
        return _missing()
    answered = await run_in_threadpool(_is_answered, rt, row)
    return _page(request, row, "answered" if answered else "ask")


@router.post("/survey/{token}")
async def answer(token: str, request: Request) -> Response:
    rt = runtime_of(request)
    row = await run_in_threadpool(_contact, rt, token)
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
    now = rt.now()

    def write(conn: Connection) -> None:
        if (
            conn.execute(
                select(survey_answers.c.contact_id).where(
                    survey_answers.c.tenant_id == row.tenant_id,
                    survey_answers.c.contact_id == row.contact_id,
                )
            ).first()
            is not None
        ):
            raise Conflict("already answered", code="survey_answered")
        conn.execute(
            insert(survey_answers).values(
                tenant_id=row.tenant_id,
                contact_id=row.contact_id,
                queue_id=row.queue_id,
                rating=given.rating,
                comment=given.comment,
                answered_at=now,
            )
        )

    event = NewEvent(
        stream_id=f"contact:{row.contact_id}",
        type=ANSWERED,
        payload={"contact_id": row.contact_id, "rating": given.rating},
        occurred_at=now,
        tenant_id=row.tenant_id,
        actor="customer",
    )
    try:
        await rt.host.submit(
            Operation(write=write, events=[event], tenant_id=row.tenant_id, actor="customer")
        )
    except Conflict:
        return _page(request, row, "answered")
    return _page(request, row, "thanks")
