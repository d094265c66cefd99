"""Public "check a message" page: paste text, upload a picture or give a link, see instant matches, file it.

Thin: the rules are tipline.answers (the same as on LINE); this module parses the form and renders the result.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from khaojing.channels.webform import check_messages  # noqa: F401  (registers the texts)
from khaojing.channels.webform.views import Errors, FormState, _form_page, _page
from khaojing.db.session import Database
from khaojing.errors import Forbidden, Invalid, TooLarge
from khaojing.intake.media import check_image
from khaojing.settings import Settings
from khaojing.tipline import answers
from khaojing.web.deps import get_db
from khaojing.web.i18n import t
from khaojing.web.security import request_language, verify_csrf

router = APIRouter(include_in_schema=False)
MAX_URL_CHARS = 2000


def _check_page(request: Request, *, text: str = "", url: str = "", result: answers.Analysis | None = None,
                error: str | None = None, status: int = 200) -> Response:
    return _page(request, "public/check.html", {"active": "check", "text": text, "url": url, "result": result,
                                                "error": error}, status)


@router.get("/check")
def check_form(request: Request) -> Response:
    return _check_page(request)


async def _form(request: Request, settings: Settings):  # noqa: ANN202
    try:
        return await request.form(max_files=2, max_fields=10, max_part_size=max(2 * settings.max_text_bytes,
                                                                                 settings.max_image_bytes + 1024))
    except StarletteHTTPException as exc:
        raise TooLarge(t("public.check.bad_image", request_language(request))) from exc


@router.post("/check")
async def check_message(request: Request, db: Database = Depends(get_db)) -> Response:
    settings: Settings = request.app.state.settings
    lang = request_language(request)
    form = await _form(request, settings)
    text = str(form.get("text") or "").replace("\x00", "")[:20_000]
    url = str(form.get("url") or "").strip()[:MAX_URL_CHARS]
    try:
        await verify_csrf(request)
    except Forbidden:
        return _check_page(request, text=text, url=url, error=t("public.check.csrf", lang), status=403)
    if url and not url.lower().startswith(("http://", "https://")):
        return _check_page(request, text=text, url=url, error=t("public.check.bad_url", lang), status=422)
    upload = form.get("image")
    ocr_text, hashes = "", []
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(settings.max_image_bytes + 1)
        try:
            image = check_image(data, max_bytes=settings.max_image_bytes, original_name=upload.filename)
        except (TooLarge, Invalid):
            return _check_page(request, text=text, url=url, error=t("public.check.bad_image", lang), status=422)
        ocr_text, hashes = await run_in_threadpool(lambda: answers.image_query(image.data, settings=settings))
    if not text.strip() and not url and not hashes and not ocr_text:
        return _check_page(request, text=text, url=url, error=t("public.check.empty", lang), status=422)

    def analyse() -> answers.Analysis:
        with db.unit_of_work() as session:  # the index may note what it loaded
            return answers.analyse(session, settings=settings, text="\n".join(x for x in (text, ocr_text) if x),
                                   urls=[url] if url else [], image_hashes=hashes, lang=lang,
                                   is_image=bool(hashes) and not text.strip())

    result = await run_in_threadpool(analyse)
    return _check_page(request, text=text, url=url, result=result)


@router.post("/check/file")
async def file_it(request: Request) -> Response:
    """The report form, prefilled with what was checked (posted, so the text never sits in a URL)."""
    settings: Settings = request.app.state.settings
    form = await _form(request, settings)
    lang = request_language(request)
    text = str(form.get("text") or "").replace("\x00", "")[:20_000]
    url = str(form.get("url") or "").strip()[:MAX_URL_CHARS]
    try:
        await verify_csrf(request)
    except Forbidden:
        return _check_page(request, text=text, url=url, error=t("public.check.csrf", lang), status=403)
    return _form_page(request, FormState(text=text, url=url), Errors(lang))
