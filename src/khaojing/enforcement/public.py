"""Public takedown transparency report (issue 8), and the center's evidence public key at a well-known URL."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response

from khaojing.db.session import Database
from khaojing.enforcement import custody, states, takedowns
from khaojing.enforcement import messages as _messages  # noqa: F401  (registers the texts)
from khaojing.enforcement.package import KEY_PATH
from khaojing.enforcement.signing import load_key
from khaojing.web.deps import get_db
from khaojing.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get(KEY_PATH)
def public_key(request: Request) -> Response:
    key = load_key(request.app.state.settings)
    return PlainTextResponse(key.public_pem, media_type="application/x-pem-file",
                             headers={"Cache-Control": "public, max-age=3600", "X-Key-Id": key.key_id})


@router.get("/transparency/takedowns")
def transparency(request: Request, db: Database = Depends(get_db)) -> Response:
    settings = request.app.state.settings
    with db.unit_of_work(readonly=True) as session:
        result = takedowns.stats(session)
        earlier = custody.earlier_keys(session, settings)
    key = load_key(settings)
    pending = sum(n for s, n in result.by_status.items() if s not in states.OUTCOMES)
    reasons = sorted(result.by_reason.items(), key=lambda kv: (states.is_political(kv[0]), -sum(kv[1].values())))
    return render(request, "public/transparency_takedowns.html", {
        "active": "transparency", "s": result, "states": states, "pending": pending, "reasons": reasons,
        "platforms": sorted(result.by_platform.items(), key=lambda kv: -sum(kv[1].values())),
        "key_pem": key.public_pem, "key_id": key.key_id, "key_path": KEY_PATH, "earlier_keys": earlier})
