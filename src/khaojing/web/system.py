"""System routes: health check for load balancers, API docs (vendored Swagger UI), language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from khaojing import __version__
from khaojing.db.session import Database
from khaojing.web.deps import get_db
from khaojing.web.security import remember_language

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz(db: Database = Depends(get_db)) -> JSONResponse:
    try:
        db.ping()
    except Exception as exc:  # report, never raise: a load balancer reads the status code
        return JSONResponse({"status": "error", "database": "unreachable", "detail": type(exc).__name__},
                            status_code=503)
    return JSONResponse({"status": "ok", "database": db.dialect, "version": __version__})


@router.get("/api/docs", include_in_schema=False)
def api_docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/api/openapi.json", title="khaojing API",
                               swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                               swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                               swagger_favicon_url="/static/favicon.svg")


@router.get("/lang/{code}", include_in_schema=False)
def switch_language(code: str, request: Request, next: str = "/") -> RedirectResponse:  # noqa: A002
    target = next if next.startswith("/") and not next.startswith("//") and not urlsplit(next).netloc else "/"
    response = RedirectResponse(target, status_code=303)
    remember_language(response, code, secure=request.app.state.settings.secure_cookies)
    return response
