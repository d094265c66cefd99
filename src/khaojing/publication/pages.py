"""Public pages beside the verdicts: about and method, open-data downloads, e-mail subscriptions (on views.router)."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from khaojing.db.session import Database
from khaojing.errors import Invalid, NotFound
from khaojing.publication import mailing, opendata, service
from khaojing.publication.views import mail_on, router
from khaojing.settings import Settings
from khaojing.web.deps import get_db
from khaojing.web.security import request_language, verify_csrf
from khaojing.web.templating import render

LABEL_TEXTS = {"fake", "distorted", "true"}


@router.get("/about")
def about(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    labels = [(label, f"about.label.{label.key}" if label.key in LABEL_TEXTS else "about.label.other",
               service.colour_hex(label)) for label in service.public_labels(settings).values()]
    return render(request, "public/about.html", {"active": "about", "labels": labels,
                                                 "licence": settings.open_data_licence,
                                                 "contact_email": settings.public_contact_email,
                                                 "mail_on": mail_on(settings)})


@router.get("/open-data")
def open_data(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    manifest = opendata.manifest(settings)
    files = manifest["files"] if manifest else []
    return render(request, "public/open_data.html", {"active": "open_data", "manifest": manifest, "files": files,
                                                     "licence": settings.open_data_licence,
                                                     "generated": _parse_time(manifest)})


def _parse_time(manifest: dict | None):  # noqa: ANN202
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(manifest["generated_at"].replace("Z", "+00:00")) if manifest else None
    except (KeyError, ValueError, AttributeError):
        return None


@router.get("/open-data/{name}")
def open_data_file(name: str, request: Request) -> Response:
    """Only the files the manifest lists (no path ever comes from the URL)."""
    settings: Settings = request.app.state.settings
    manifest = opendata.manifest(settings) or {"files": []}
    if name == opendata.MANIFEST and manifest.get("generated_at"):  # what changed, for scripts that mirror the files
        return JSONResponse(manifest, headers={"Cache-Control": "public, max-age=600"})
    entry = next((f for f in manifest["files"] if f.get("name") == name), None)
    path = opendata.open_data_dir(settings) / name if entry else None
    if path is None or not path.is_file():
        raise NotFound(f"no open-data file {name!r}")
    media = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "md": "text/markdown; charset=utf-8",
             "txt": "text/plain; charset=utf-8"}.get(name.rpartition(".")[2], "application/octet-stream")
    return FileResponse(path, media_type=media, filename=name,
                        headers={"Cache-Control": "public, max-age=600", "X-Checksum-SHA256": entry["sha256"]})


def _subscribe_page(request: Request, *, status: int = 200, **context: object) -> Response:
    settings: Settings = request.app.state.settings
    return render(request, "public/subscribe.html",
                  {"active": "subscribe", "topics": settings.topics, "mail_on": mail_on(settings),
                   "chosen": set(), "email": "", **context}, status_code=status)


@router.get("/subscribe")
def subscribe_form(request: Request) -> Response:
    return _subscribe_page(request)


@router.post("/subscribe", dependencies=[Depends(verify_csrf)])
async def subscribe(request: Request, db: Database = Depends(get_db)) -> Response:
    settings: Settings = request.app.state.settings
    form = await request.form()
    email = str(form.get("email") or "").strip()[:320]
    topics = [str(t) for t in form.getlist("topics")][:20]
    if not mail_on(settings):
        return _subscribe_page(request, status=503, email=email)
    if mailing.mail.valid_address(email) is None:
        return _subscribe_page(request, status=422, error="sub.invalid", email=email, chosen=set(topics))
    with db.unit_of_work() as session:
        mailing.request_subscription(session, email=email, topics=topics, language=request_language(request),
                                     settings=settings)
    return _subscribe_page(request, sent=email, days=settings.subscribe_link_days)


@router.get("/subscribe/confirm")
def subscribe_confirm(request: Request, token: str = "", db: Database = Depends(get_db)) -> Response:
    settings: Settings = request.app.state.settings
    try:
        with db.unit_of_work() as session:
            mailing.confirm(session, token=token, settings=settings)
    except Invalid as exc:
        return _subscribe_page(request, status=400, error=exc.key or "sub.bad_link")
    return _subscribe_page(request, done="sub.confirmed")


@router.api_route("/unsubscribe", methods=["GET", "POST"])
def unsubscribe(request: Request, token: str = "", db: Database = Depends(get_db)) -> Response:
    """One click: the link in every subscriber mail unsubscribes at once (POST for List-Unsubscribe-Post too)."""
    settings: Settings = request.app.state.settings
    try:
        with db.unit_of_work() as session:
            email = mailing.unsubscribe(session, token=token, settings=settings)
    except Invalid:
        return _subscribe_page(request, status=400, error="sub.bad_link")
    return _subscribe_page(request, done="sub.unsubscribed", done_email=email)
