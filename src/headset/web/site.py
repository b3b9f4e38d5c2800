"""Mounts the browser UI on the service's app: pages, administration, static files."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from headset.web import admin, api_docs, chat_pages, pages, survey_page
from headset.web.rendering import STATIC_DIR, Renderer


def install(app: FastAPI) -> None:
    """Adds the UI's routes after the API's (API requests match first) and /static."""
    app.state.renderer = Renderer()
    app.router.routes.extend(pages.router.routes)
    app.router.routes.extend(admin.router.routes)
    app.router.routes.extend(chat_pages.router.routes)  # the customer's chat (docs/widget.md)
    app.router.routes.extend(survey_page.router.routes)  # an e-mail's survey (docs/email.md)
    app.router.routes.extend(api_docs.router.routes)  # /docs, Swagger UI served from here
    app.router.routes.append(Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"))
