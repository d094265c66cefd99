"""create_app(settings) -> FastAPI: mounts the partner API, the staff console and the public site."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

import khaojing.models  # noqa: F401  (every table known before the first flush)
from khaojing import __version__
from khaojing.db.session import Database
from khaojing.errors import DomainError, Invalid, NotFound, Unauthorized, error_body
from khaojing.settings import Settings, get_settings
from khaojing.web.deps import console_viewer
from khaojing.web.security import BodyLimitMiddleware, RateLimitMiddleware, SecurityHeadersMiddleware, wants_json
from khaojing.web.templating import STATIC_DIR, render

log = logging.getLogger(__name__)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        if wants_json(request):
            return JSONResponse(error_body(exc), status_code=exc.status_code, headers=exc.headers)
        if isinstance(exc, Unauthorized) and request.url.path.startswith("/console"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/console/login?next={quote(target)}", status_code=303)
        return render(request, "error.html", {"status": exc.status_code, "message": exc.detail,
                                              "exc": exc}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(DataError)
    async def value_out_of_range(request: Request, exc: DataError) -> Response:
        if "out of range" in str(exc.orig):  # PostgreSQL: an id beyond its integer columns names nothing
            return await domain_error(request, NotFound("not found"))
        return await unexpected(request, exc)

    @app.exception_handler(OverflowError)
    async def id_out_of_range(request: Request, exc: OverflowError) -> Response:
        if "too large to convert" in str(exc):
            # an id beyond the database's integer range (SQLite cannot even compare it) names nothing that exists
            return await domain_error(request, NotFound("not found"))
        return await unexpected(request, exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        fields = [{"field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
                   "message": err.get("msg", ""), "type": err.get("type", "")} for err in exc.errors()]
        if not wants_json(request):  # a page or a form: the error page in its language, not JSON
            names = sorted({f["field"].split(".")[-1] for f in fields if f["field"]})
            return await domain_error(request, Invalid(f"not valid: {', '.join(names)}", key="error.bad_fields",
                                                       params={"fields": ", ".join(names) or "?"}, fields=fields))
        body = {"error": {"code": "invalid", "message": "The request is not valid",
                          "message_th": "ข้อมูลที่ส่งมาไม่ถูกต้อง", "fields": fields}}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"error": {"code": f"http_{exc.status_code}", "message": str(exc.detail)}},
                                status_code=exc.status_code, headers=getattr(exc, "headers", None))
        if request.url.path.startswith("/console"):  # no route ran its guard: find the staff member for the nav
            await run_in_threadpool(console_viewer, request)
        return render(request, "error.html", {"status": exc.status_code, "message": str(exc.detail)},
                      status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if wants_json(request):
            return JSONResponse({"error": {"code": "internal", "message": "internal error",
                                           "message_th": "ระบบขัดข้อง"}}, status_code=500)
        return render(request, "error.html", {"status": 500, "message": None}, status_code=500)


def create_app(settings: Settings | None = None, *, db: Database | None = None,
               start_worker: bool | None = None) -> FastAPI:
    settings = settings or get_settings()
    db = db or Database(settings)
    run_worker = settings.run_inprocess_worker if start_worker is None else start_worker

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        worker = None
        if run_worker:
            import khaojing.handlers  # noqa: F401
            from khaojing.jobs.worker import start_in_thread

            worker, _thread = start_in_thread(db)
        yield
        if worker is not None:
            worker.stop()

    app = FastAPI(title="khaojing API", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  description="ข่าวจริง — the API of an Anti-Fake-News Center. Partner agencies send reports "
                              "with `Authorization: Bearer <key>`.")
    app.state.settings = settings
    app.state.db = db
    _install_error_handlers(app)

    app.add_middleware(RateLimitMiddleware)  # inside the session: its 429 page is rendered like any other page
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)  # so is its 413 page
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="kj_session",
                       max_age=settings.session_max_age_seconds, same_site="lax",
                       https_only=settings.secure_cookies)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.secure_cookies)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    from khaojing.routes import include_routes

    include_routes(app)
    return app
