"""Public web channel: home page, the report form (handed to the intake service) and report tracking."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import AnyHttpUrl, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from khaojing.audit.service import PUBLIC
from khaojing.channels.webform import messages  # noqa: F401  (registers the texts)
from khaojing.db.session import Database
from khaojing.errors import Forbidden, Invalid, NotFound, TooLarge
from khaojing.intake.codes import normalise_tracking_code
from khaojing.intake.media import CheckedImage, check_image
from khaojing.intake.models import Report
from khaojing.intake.schemas import ContactIn
from khaojing.intake.service import Submission, accept_report, get_by_tracking_code, get_or_create_source
from khaojing.messages import size_text
from khaojing.publication import service as published  # public verdicts (issue 6)
from khaojing.settings import Settings
from khaojing.web.deps import get_db
from khaojing.web.i18n import t
from khaojing.web.security import request_language, verify_csrf
from khaojing.web.templating import render

router = APIRouter(include_in_schema=False)

NO_STORE = {"Cache-Control": "no-store"}
FLASH_KEY = "webform_contact"
FORM_ID_KEY = "webform_form_id"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
HTTP_URL = TypeAdapter(AnyHttpUrl)
MAX_URL_CHARS = 2000
EXCERPT_CHARS = 280
FIELDS = ("text", "images", "url", "contact")  # form order, for the error summary
STEPS = ("received", "screening", "verification", "answered")
# report status -> (steps finished, step in progress)
PROGRESS = {"new": (1, 1), "received": (1, 1), "screened": (2, 2), "grouped": (2, 2), "answered": (4, None)}


@dataclass
class FormState:
    """What the person typed, kept to re-render the form after an error (files cannot be kept)."""

    text: str = ""
    url: str = ""
    contact: str = ""
    consent: bool = False
    submission_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    had_files: bool = False


@dataclass
class FieldError:
    field: str
    message: str
    too_large: bool = False


class Errors(list[FieldError]):
    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def add(self, field_name: str, key: str, /, *, too_large: bool = False, **params: object) -> None:
        self.append(FieldError(field_name, t(f"public.report.err.{key}", self.lang, **params), too_large))

    @property
    def status(self) -> int:
        return 413 if any(e.too_large for e in self) else 422


def _lang_query(request: Request, sep: str = "?") -> str:
    """Keep an explicit ?lang= through links, the form and its redirect (the header switch uses a cookie)."""
    return f"{sep}lang={request_language(request)}" if "lang" in request.query_params else ""


def _page(request: Request, template: str, context: dict, status: int = 200, *, cache: bool = False) -> Response:
    context = {**context, "lq": _lang_query(request), "lang_param": "lang" in request.query_params}
    return render(request, template, context, status_code=status, headers=None if cache else NO_STORE)


# ---------------------------------------------------------------- home and report form

@router.get("/")
def home(request: Request, db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work(readonly=True) as session:  # publication (issue 6): latest and most asked verdicts
        verdicts = published.home_context(session, settings=request.app.state.settings)
    return _page(request, "public/home.html", {"active": "home", **verdicts}, cache=True)


@router.get("/report")
def report_form(request: Request) -> Response:
    state = FormState(submission_id=_browser_form_id(request))
    return _form_page(request, state, Errors(request_language(request)))


def _browser_form_id(request: Request) -> str:
    """One submission id per browser session. Back fetches the form again (it is no-store, and even a cacheable
    copy would not be reused: it varies on the session cookie, which every response signs anew), and a new id there
    made the same message sent again a second report. A different message still differs by its digest."""
    form_id = request.session.get(FORM_ID_KEY)
    if not (isinstance(form_id, str) and UUID_RE.match(form_id)):
        form_id = request.session[FORM_ID_KEY] = str(uuid.uuid4())
    return form_id


def _form_page(request: Request, state: FormState, errors: Errors, status: int = 200) -> Response:
    settings: Settings = request.app.state.settings
    errors.sort(key=lambda e: FIELDS.index(e.field))
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(error.field, []).append(error.message)
    context = {"active": "report", "state": state, "errors": errors, "field_errors": by_field,
               "action": "/report" + _lang_query(request),
               "max_images": settings.max_images_per_report,
               "image_limit": size_text(settings.max_image_bytes)}
    return _page(request, "public/report.html", context, status)


async def checked_form(request: Request) -> tuple[FormData, bool]:
    """The posted form (parsed once, with our limits) and whether its CSRF token is valid."""
    settings: Settings = request.app.state.settings
    try:
        form = await request.form(max_files=settings.max_images_per_report + 1, max_fields=20,
                                  max_part_size=max(2 * settings.max_text_bytes, 1 << 20))
    except StarletteHTTPException as exc:
        raise TooLarge(t("public.report.err.request_too_large", request_language(request))) from exc
    try:
        await verify_csrf(request)
    except Forbidden:
        return form, False
    return form, True


@router.post("/report")
async def submit_report(request: Request, posted: tuple[FormData, bool] = Depends(checked_form),
                        db: Database = Depends(get_db)) -> Response:
    form, csrf_ok = posted
    settings: Settings = request.app.state.settings
    errors = Errors(request_language(request))
    state = _state_from(form)
    if not csrf_ok:  # nothing is stored; the person keeps the text and sends again with a fresh token
        errors.add("text", "expired")
        return _form_page(request, state, errors, status=403)
    url = _clean_url(state.url, errors)
    contact = _contact(state, errors)
    images = await _images(form, settings, errors)
    if errors:
        return _form_page(request, state, errors, status=errors.status)
    kind, value = contact or (None, None)
    sub = Submission(text=state.text, urls=[url] if url else [], images=images, language=errors.lang,
                     contact_kind=kind, contact_value=value)
    sub.external_id = _external_id(state.submission_id, sub)
    try:
        code = await run_in_threadpool(_store, db, settings, sub)
    except (TooLarge, Invalid) as exc:
        _service_error(exc, errors, settings)
        return _form_page(request, state, errors, status=errors.status)
    if state.contact.strip():
        request.session[FLASH_KEY] = {"code": code, "kept": contact is not None}
    return RedirectResponse(f"/track/{code}?new=1{_lang_query(request, '&')}", status_code=303)


def _store(db: Database, settings: Settings, sub: Submission) -> str:
    with db.unit_of_work() as session:
        source = get_or_create_source(session, kind="webform", name="webform")
        accepted = accept_report(session, settings=settings, source=source, sub=sub, actor=PUBLIC)
        code = accepted.report.tracking_code
    return code  # returned only after the unit of work has committed


def _state_from(form: FormData) -> FormState:
    def text(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    sid = text("submission_id").strip().lower()
    state = FormState(text=text("text").replace("\r\n", "\n").strip(), url=text("url").strip(),
                      contact=text("contact").strip(), consent=text("consent") == "yes",
                      had_files=bool(_uploads(form)))
    if UUID_RE.match(sid):
        state.submission_id = sid
    return state


def _external_id(submission_id: str, sub: Submission) -> str:
    """The form's id plus a digest of what was sent: a double click repeats both, while a different
    message sent from a form restored by the Back button is a new report, not a replay of the first."""
    content = "\n".join([sub.text, *sub.urls, *(img.sha256 for img in sub.images)])
    return f"{submission_id}.{hashlib.sha256(content.encode('utf-8')).hexdigest()[:16]}"


def _clean_url(raw: str, errors: Errors) -> str | None:
    if not raw:
        return None
    candidate = raw if "://" in raw else f"https://{raw}"  # people often type www.example.com
    try:
        url = HTTP_URL.validate_python(candidate)
    except ValidationError:
        url = None
    if url is None or len(candidate) > MAX_URL_CHARS or "." not in (url.host or ""):
        errors.add("url", "url")
        return None
    return str(url)


def _contact(state: FormState, errors: Errors) -> tuple[str, str] | None:
    """The contact to keep for a reply: only with the person's consent, and only if it looks valid."""
    if not state.contact or not state.consent:
        return None
    kind = "email" if "@" in state.contact else "phone"
    try:
        contact = ContactIn(kind=kind, value=state.contact)
    except ValidationError:
        errors.add("contact", "contact")
        return None
    return contact.kind, contact.value


def _uploads(form: FormData) -> list[UploadFile]:
    """The files the person chose (a browser sends one empty part when none was chosen)."""
    return [f for f in form.getlist("images") if isinstance(f, UploadFile) and (f.filename or f.size)]


async def _images(form: FormData, settings: Settings, errors: Errors) -> list[CheckedImage]:
    uploads = _uploads(form)
    if len(uploads) > settings.max_images_per_report:
        errors.add("images", "too_many_images", n=settings.max_images_per_report)
        return []
    images = []
    for upload in uploads:
        data = await upload.read(settings.max_image_bytes + 1)
        image = await run_in_threadpool(_check_one, data, upload, settings, errors)
        if image is not None:
            images.append(image)
    return images


def _check_one(data: bytes, upload: UploadFile, settings: Settings, errors: Errors) -> CheckedImage | None:
    name = upload.filename or "?"
    try:
        return check_image(data, max_bytes=settings.max_image_bytes, original_name=upload.filename)
    except TooLarge:
        errors.add("images", "image_too_large", too_large=True, name=name,
                   size=size_text(upload.size or len(data)), limit=size_text(settings.max_image_bytes))
    except Invalid:
        errors.add("images", "image_empty" if not data else "image_invalid", name=name)
    return None


def _service_error(exc: TooLarge | Invalid, errors: Errors, settings: Settings) -> None:
    if isinstance(exc, TooLarge):
        errors.add("text", "text_too_long", too_large=True, limit=size_text(settings.max_text_bytes))
    elif any(f.get("message") == "empty report" for f in exc.fields or ()):
        errors.add("text", "empty")
    else:
        errors.add("text", "other")


# ---------------------------------------------------------------- tracking

@router.get("/track")
def track_lookup(request: Request, code: str | None = None) -> Response:
    if code is None:
        return _lookup_page(request)
    canonical = normalise_tracking_code(code)
    if canonical is None:
        key = "empty" if not code.strip() else "format"
        return _lookup_page(request, code=code[:100], error=t(f"public.track.err.{key}", request_language(request)),
                            status=422)
    return RedirectResponse(f"/track/{canonical}{_lang_query(request)}", status_code=303)


def _lookup_page(request: Request, *, code: str = "", error: str | None = None, not_found: bool = False,
                 status: int = 200) -> Response:
    context = {"active": "track", "code": code, "error": error, "not_found": not_found}
    return _page(request, "public/track_lookup.html", context, status)


@dataclass
class Step:
    name: str
    state: str  # done, current, todo, stopped


@dataclass
class TrackView:
    """What a tracking page may show: never the requester, contact data or internal ids."""

    code: str
    status: str
    channel: str
    received_at: dt.datetime
    updated_at: dt.datetime
    excerpt: str
    url_hosts: list[str]
    images: int
    steps: list[Step]
    verdict: published.Badge | None = None  # the claim's published verdict (issue 6)


@router.get("/track/{code}")
def track_report(code: str, request: Request, new: str = "", db: Database = Depends(get_db)) -> Response:
    """The status of one report; ?new=1 adds the 'keep this code' welcome after sending."""
    is_new = new == "1"
    canonical = normalise_tracking_code(code)
    if canonical is not None and canonical != code:
        query = "&".join(p for p in ("new=1" if is_new else "", _lang_query(request, "")) if p)
        return RedirectResponse(f"/track/{canonical}{'?' if query else ''}{query}", status_code=303)
    try:
        with db.unit_of_work(readonly=True) as session:
            report = get_by_tracking_code(session, code)
            view = _track_view(report)
            view.verdict = published.badge(session, claim_id=report.claim_id,  # issue 6
                                           settings=request.app.state.settings)
    except NotFound:
        return _lookup_page(request, code=code[:100], not_found=True, status=404)
    flash = request.session.get(FLASH_KEY)
    contact_note = None
    if isinstance(flash, dict) and flash.get("code") == view.code:
        request.session.pop(FLASH_KEY)
        contact_note = "kept" if flash.get("kept") else "dropped"
    context = {"active": "track", "report": view, "new": is_new, "contact_note": contact_note}
    return _page(request, "public/track.html", context)


def _track_view(report: Report) -> TrackView:
    text = report.text.strip()
    excerpt = text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rstrip() + "…"
    hosts = [h for h in (_host(u) for u in report.urls or ()) if h]
    return TrackView(code=report.tracking_code, status=report.status, channel=report.channel,
                     received_at=report.received_at, updated_at=report.updated_at, excerpt=excerpt,
                     url_hosts=hosts, images=len(report.media), steps=_steps(report.status))


def _host(url: str) -> str | None:
    try:
        return HTTP_URL.validate_python(url).host
    except ValidationError:
        return None


def _steps(status: str) -> list[Step]:
    if status == "rejected":  # the journey ends after screening
        return [Step("received", "done"), Step("screening", "done"), Step("rejected", "stopped")]
    done, current = PROGRESS.get(status, (1, 1))
    return [Step(name, "done" if i < done else "current" if i == current else "todo")
            for i, name in enumerate(STEPS)]
