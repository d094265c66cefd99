"""Tipline console pages, mounted under /console: the LINE blocklist and the Flex message preview (issue 4).

Staff (admin, editor, analyst) see both; editors and administrators block and unblock. The preview draws the
message objects that channels/line/flex.py builds for LINE (channels/line/preview.py), never a copy of them.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from khaojing.accounts.models import Role, User
from khaojing.audit import service as audit
from khaojing.cases.access import STAFF, guard, page, refusal, take_flash, write
from khaojing.channels.line import flex, preview
from khaojing.channels.line.config import line_config
from khaojing.claims.models import Verdict
from khaojing.db.session import Database
from khaojing.errors import NotFound
from khaojing.tipline import answers, blocklist
from khaojing.tipline import messages as _messages  # noqa: F401  (registers the texts)
from khaojing.web.deps import get_db
from khaojing.web.security import request_language, verify_csrf

router = APIRouter(include_in_schema=False)
staff, editors = guard(*STAFF), guard(Role.admin, Role.editor)
DAY_CHOICES = (1, 7, 30, 90, 365)
PREVIEW_SIMILARITY = (0.91, 0.84, 0.78, 0.72, 0.66)  # examples: a carousel needs a score per card
URL = "/console/line/blocklist"


def _form_value(form, name: str, limit: int = 1000) -> str:  # noqa: ANN001
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _blocklist_page(request: Request, db: Database, *, error: str | None = None, target: str = "",
                    reason: str = "", status_code: int = 200) -> Response:
    with db.unit_of_work(readonly=True) as session:
        rows = blocklist.list_blocked(session)
        senders = blocklist.recent_senders(session)
    return page(request, "console/tipline_blocklist.html", {
        "active": "line", "tab": "blocklist", "rows": rows, "senders": senders, "day_choices": DAY_CHOICES,
        "active_count": sum(1 for r in rows if r.active), "notice": take_flash(request), "error": error,
        "target": target, "reason": reason}, status_code=status_code)


@router.get("/line/blocklist")
def blocklist_page(request: Request, user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    target = request.query_params.get("target", "").replace("\x00", "")[:200]
    return _blocklist_page(request, db, target=target)


@router.post("/line/blocklist", dependencies=[Depends(verify_csrf)])
async def block(request: Request, user: User = Depends(editors), db: Database = Depends(get_db)) -> Response:
    form = await request.form()
    target, reason = _form_value(form, "target", 200), _form_value(form, "reason", 1000)
    days_raw = _form_value(form, "days", 10)
    days = int(days_raw) if days_raw.isdigit() else None
    settings = request.app.state.settings

    def action(session: Session) -> tuple[str, str, dict]:
        row = blocklist.block_target(session, actor=audit.user_actor(user.id), secret_key=settings.secret_key,
                                     target=target, reason=reason, days=days)
        return URL, "line.block.done", {"who": blocklist.pseudonym(_hash_of(session, row))}

    def refused(message: str, status: int) -> Response:
        return _blocklist_page(request, db, error=message, target=target, reason=reason, status_code=status)

    try:
        return await run_in_threadpool(write, request, db, user, action, refused)
    except NotFound as exc:  # nobody found: the same page with the reason, not an error page
        return refused(refusal(request, exc), 404)


@router.post("/line/blocklist/{blocked_id:int}/lift", dependencies=[Depends(verify_csrf)])
async def lift(blocked_id: int, request: Request, user: User = Depends(editors),
               db: Database = Depends(get_db)) -> Response:
    reason = _form_value(await request.form(), "reason", 1000)

    def action(session: Session) -> tuple[str, str, dict]:
        row = blocklist.lift(session, actor=audit.user_actor(user.id), blocked_id=blocked_id, reason=reason)
        return URL, "line.block.lifted", {"who": blocklist.pseudonym(_hash_of(session, row))}

    def refused(message: str, status: int) -> Response:
        return _blocklist_page(request, db, error=message, status_code=status)

    return await run_in_threadpool(write, request, db, user, action, refused)


def _hash_of(session: Session, row) -> str | None:  # noqa: ANN001
    if row.requester_id is None:
        return row.key_hash
    from khaojing.intake.models import Requester

    requester = session.get(Requester, row.requester_id)
    return requester.key_hash if requester else None


# --- Flex preview -------------------------------------------------------------------------------------------

def _ids(raw: str) -> list[int]:
    return [int(x) for x in raw.replace(" ", "").split(",") if x.isdigit() and 0 < int(x) < 2**63][:flex.MAX_CANDIDATES]


def _cards(session: Session, verdict_ids: list[int], settings, lang: str) -> list[flex.VerdictCard]:  # noqa: ANN001
    cards = []
    for vid in verdict_ids:
        verdict = session.get(Verdict, vid)
        card = answers.verdict_card(session, verdict.claim_id, settings=settings, lang=lang) if verdict else None
        if card is None:
            raise NotFound(f"verdict {vid} is not published (or its label is not public)")
        cards.append(card)
    return cards


@router.get("/line/preview")
def flex_preview(request: Request, user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    """?verdict=ID: the verdict bubble; ?carousel=ID,ID,…: the candidates carousel; &lang=en for English."""
    settings = request.app.state.settings
    cfg = line_config(settings)
    params = request.query_params
    msg_lang = "en" if params.get("msg") == "en" else "th"
    with db.unit_of_work(readonly=True) as session:
        published = list(session.scalars(select(Verdict).where(Verdict.published_at.is_not(None))
                                         .order_by(Verdict.published_at.desc()).limit(20)))
        message, kind = None, None
        if params.get("carousel"):
            cards = _cards(session, _ids(params["carousel"]), settings, msg_lang)
            if cards:
                candidates = [flex.Candidate(card=c, similarity=PREVIEW_SIMILARITY[i]) for i, c in enumerate(cards)]
                message, kind = flex.candidates_message(candidates, base_url=cfg.base_url, lang=msg_lang), "carousel"
        elif params.get("verdict"):
            cards = _cards(session, _ids(params["verdict"])[:1], settings, msg_lang)
            if cards:
                message = flex.verdict_message(cards[0], base_url=cfg.base_url, lang=msg_lang, tz=cfg.timezone)
                kind = "bubble"
        elif published:
            cards = _cards(session, [published[0].id], settings, msg_lang)
            message = flex.verdict_message(cards[0], base_url=cfg.base_url, lang=msg_lang, tz=cfg.timezone)
            kind = "bubble"
    response = page(request, "console/line_preview.html", {
        "active": "line", "tab": "preview", "published": published, "message": message, "kind": kind,
        "msg_lang": msg_lang, "rendered": preview.chat([message]) if message else None,
        "payload": json.dumps(message, ensure_ascii=False, indent=2) if message else "",
        "preview_css": Markup(preview.CSS), "carousel_ids": ",".join(str(v.id) for v in published[:5]),
        "ui_lang": request_language(request)})
    response.headers["Content-Security-Policy"] = preview.CSP  # the preview's inline styles, on this page only
    return response
