"""`/docs`: the API's reference (Swagger UI) served from Headset's own files.

Swagger UI is fetched by scripts/fetch-assets from the npm registry with a pinned integrity
into static/vendor/swagger-ui/ (as HTMX is), so /docs loads no script from another origin and
runs under the staff pages' Content-Security-Policy: the page has no inline script; it
starts from static/js/api-docs.js, which reads the schema's address from a data attribute.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from markupsafe import escape
from starlette.responses import HTMLResponse

from headset.web.rendering import STATIC_DIR

router = APIRouter(include_in_schema=False)

SWAGGER_UI = STATIC_DIR / "vendor" / "swagger-ui"
ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
PATH = "/static/vendor/swagger-ui"


def has_swagger_ui() -> bool:
    return all((SWAGGER_UI / name).is_file() for name in ASSETS)


@router.get("/docs")
def api_docs(request: Request) -> HTMLResponse:
    openapi_url = escape(request.app.openapi_url or "/openapi.json")
    missing = (
        ""
        if has_swagger_ui()
        else "<p>Swagger UI is not installed: run scripts/fetch-assets. The schema is at "
        f'<a href="{openapi_url}">{openapi_url}</a>.</p>'
    )
    html = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Headset API</title>
  <link rel="icon" type="image/png" href="{PATH}/favicon-32x32.png">
  <link rel="stylesheet" href="{PATH}/swagger-ui.css">
</head>
<body>
  {missing}
  <div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
  <script src="{PATH}/swagger-ui-bundle.js"></script>
  <script src="/static/js/api-docs.js"></script>
</body>
</html>
"""
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})
