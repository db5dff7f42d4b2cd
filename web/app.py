"""The web app: reviewer pages (server-rendered, working without JavaScript) and, in ``api.py``,
the read-only JSON API. ``create_app`` is the factory; ``vnfacts serve`` runs it with uvicorn."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from settings import thresholds
from web import api, pages, throttle
from store import accounts

HERE = Path(__file__).parent
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
API_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vnfacts API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/static/favicon.svg">
<link rel="stylesheet" href="/static/docs/swagger-ui.css">
</head><body>
<div id="swagger-ui"></div>
<script src="/static/docs/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body></html>
"""
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class BodyLimit:
    """Counts a request's body as it streams in (chunked bodies too, which carry no Content-Length) and
    answers 413 once it passes ``limit`` bytes: nothing larger than the limit is ever held in memory."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        received, refused = 0, False

        async def counted():
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:          # answer now; the app then sees a client that went away
                    refused = True
                    await PlainTextResponse("request too large", status_code=413, headers=SECURITY_HEADERS)(
                        scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def unless_refused(message):
            if not refused:
                await send(message)

        try:
            await self.app(scope, counted, unless_refused)
        except Exception:
            if not refused:
                raise


def create_app(database_url: str, require_api_tokens: bool = False, secure_cookies: bool = False) -> FastAPI:
    # /api/docs is served by the app itself: Swagger UI's files come from the fastapi-offline package
    # (no CDN), and the page has no inline script, so the app's Content-Security-Policy holds there too.
    app = FastAPI(title="vnfacts", description="Reviewer pages and the read-only fact API.", version="1",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.database_url = database_url
    app.state.require_api_tokens = require_api_tokens
    app.state.secure_cookies = secure_cookies
    app.state.sign_in_throttle = throttle.SignInThrottle(thresholds.SIGN_IN_FAILURES, thresholds.SIGN_IN_FAILURES_PER_ADDRESS,
                                                         thresholds.SIGN_IN_WINDOW_S)
    app.mount("/static/docs", StaticFiles(directory=str(DOCS_ASSETS)), name="docs-static")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(BodyLimit, limit=thresholds.MAX_REQUEST_BYTES)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs():
        return HTMLResponse(API_DOCS_PAGE)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    @app.middleware("http")
    async def guard(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > thresholds.MAX_REQUEST_BYTES):
            return PlainTextResponse("request too large", status_code=413, headers=SECURITY_HEADERS)
        # No query value has a use for control characters; PostgreSQL refuses NUL outright.
        if any(c < " " for value in request.query_params.values() for c in value):
            return JSONResponse({"detail": "control characters are not allowed in query parameters"},
                                status_code=422, headers=SECURITY_HEADERS)
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    @app.exception_handler(pages.NotSignedIn)
    async def to_login(request: Request, _exc: pages.NotSignedIn):
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        # Inside the layout, with the nav when the visitor is signed in.
        user, csrf = pages.signed_in(request)
        return pages.TEMPLATES.TemplateResponse(request, "error.html", {"status": exc.status_code, "detail": exc.detail,
                                                                  "user": user, "csrf": csrf},
                                                status_code=exc.status_code)

    app.include_router(pages.router)
    app.include_router(api.router)
    return app


def serve(database_url: str, host: str, port: int, require_api_tokens: bool = False,
          secure_cookies: bool = False) -> None:
    import uvicorn

    uvicorn.run(create_app(database_url, require_api_tokens, secure_cookies), host=host, port=port, log_level="info")
