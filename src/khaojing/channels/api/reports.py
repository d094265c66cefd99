"""POST/GET /api/v1/reports for partner agencies: bearer key, Idempotency-Key, JSON validated by pydantic."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from khaojing.audit.service import source_actor
from khaojing.db.session import Database
from khaojing.errors import Invalid, NotFound, TooLarge, UnsupportedMediaType
from khaojing.intake import partners
from khaojing.intake.media import CheckedImage, check_image
from khaojing.intake.models import Report
from khaojing.intake.schemas import ImageIn, ReportIn, ReportOut
from khaojing.intake.service import Submission, accept_report, get_report
from khaojing.settings import Settings
from khaojing.web.deps import get_db

router = APIRouter(tags=["reports"])

ERROR_SCHEMA = {"type": "object", "properties": {"error": {"type": "object", "properties": {
    "code": {"type": "string"}, "message": {"type": "string"}, "message_th": {"type": "string"},
    "fields": {"type": "array", "items": {"type": "object"}}}}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}


ERRORS = {401: _error("Missing, unknown or revoked API key"), 404: _error("No such report for this partner"),
          409: _error("Idempotency-Key reused with a different body"), 413: _error("Text over 1 MB or image "
          "over 10 MB"), 415: _error("Content-Type is not application/json"),
          422: _error("Malformed JSON or invalid fields (listed in error.fields)"),
          429: {**_error("Over the requests a minute allowed per key (settings rate_limit_api_per_minute)"),
                "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}}}


def bearer_key(authorization: str | None = Header(default=None, description="`Bearer kj_…`")) -> str | None:
    if not authorization:
        return None
    scheme, _, key = authorization.partition(" ")
    return key.strip() if scheme.lower() == "bearer" else None


def _report_out(report: Report, settings: Settings) -> dict[str, Any]:
    out = ReportOut.model_validate(report).model_copy(update={
        "tracking_url": f"{settings.base_url.rstrip('/')}/track/{report.tracking_code}"})
    return out.model_dump(mode="json")


def _decode_image(image: ImageIn, index: int, max_bytes: int) -> CheckedImage:
    if len(image.content_base64) * 3 // 4 > max_bytes + 3:
        raise TooLarge(f"images[{index}] is over {max_bytes} bytes", key="intake.err.api_image_too_large",
                       params={"index": index, "limit": max_bytes})
    try:
        data = base64.b64decode(image.content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Invalid("images[].content_base64 is not valid base64", key="intake.err.base64", params={"index": index},
                      fields=[{"field": f"images.{index}.content_base64", "message": "not base64"}]) from exc
    return check_image(data, max_bytes=max_bytes, original_name=image.filename)


def _parse(body: bytes, content_type: str) -> ReportIn:
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise UnsupportedMediaType("send the report as JSON with `Content-Type: application/json`",
                                   key="intake.err.json_only")
    try:
        return ReportIn.model_validate_json(body)
    except ValidationError as exc:
        fields = [{"field": ".".join(str(p) for p in err["loc"]), "message": err["msg"], "type": err["type"]}
                  for err in exc.errors(include_url=False)]
        raise Invalid("the report is not valid JSON of the expected shape", key="intake.err.bad_json",
                      fields=fields) from exc


@router.post("/reports", status_code=201, summary="Send a report to the center",
             responses={201: {"model": ReportOut, "description": "Stored (new report)"},
                        200: {"model": ReportOut, "description": "Already stored: the original report"},
                        **ERRORS},
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"$ref": "#/components/schemas/ReportIn"}}}}})
async def create_report(request: Request, db: Database = Depends(get_db), key: str | None = Depends(bearer_key),
                        idempotency_key: str | None = Header(default=None, max_length=200,
                                                             description="Any unique string per item; "
                                                             "repeats return the first report")) -> JSONResponse:
    """Store one item. The answer comes only after the report is committed; a repeat delivery (same
    Idempotency-Key, or same `external_id`) returns the original report with status 200."""
    settings: Settings = request.app.state.settings
    await run_in_threadpool(_authenticate, db, key)
    report_in = _parse(await request.body(), request.headers.get("content-type", ""))
    # database work runs in the thread pool: the event loop keeps serving other requests meanwhile
    body, created = await run_in_threadpool(_store, db, settings, key, report_in, idempotency_key)
    # committed: now it is safe to acknowledge
    headers = {"Location": f"/api/v1/reports/{body['id']}"}
    if not created:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(body, status_code=201 if created else 200, headers=headers)


def _authenticate(db: Database, key: str | None) -> None:
    with db.unit_of_work(readonly=True) as session:
        partners.authenticate(session, key)


def _store(db: Database, settings: Settings, key: str | None, report_in: ReportIn,
           idempotency_key: str | None) -> tuple[dict[str, Any], bool]:
    images = [_decode_image(img, i, settings.max_image_bytes) for i, img in enumerate(report_in.images)]
    sub = Submission(text=report_in.text, urls=[str(u) for u in report_in.urls], images=images,
                     external_id=report_in.external_id, idempotency_key=idempotency_key or None,
                     received_at=report_in.received_at, language=report_in.language,
                     requester_kind=report_in.requester.kind if report_in.requester else None,
                     requester_value=report_in.requester.value if report_in.requester else None,
                     contact_kind=report_in.contact.kind if report_in.contact else None,
                     contact_value=report_in.contact.value if report_in.contact else None,
                     meta=dict(report_in.meta))
    with db.unit_of_work() as session:
        source = partners.authenticate(session, key)
        accepted = accept_report(session, settings=settings, source=source, sub=sub,
                                 actor=source_actor(source.id))
        body = _report_out(accepted.report, settings)
    return body, accepted.created


@router.get("/reports/{report_id}", response_model=ReportOut, summary="Status of a report you sent",
            responses={401: ERRORS[401], 404: ERRORS[404], 429: ERRORS[429]})
def read_report(report_id: int, request: Request, db: Database = Depends(get_db),
                key: str | None = Depends(bearer_key)) -> JSONResponse:
    with db.unit_of_work(readonly=True) as session:
        source = partners.authenticate(session, key)
        try:
            report = get_report(session, report_id)
        except NotFound:
            report = None
        if report is None or report.source_id != source.id:
            raise NotFound(f"report {report_id} not found", key="intake.err.no_report", params={"report": report_id})
        body = _report_out(report, request.app.state.settings)
    return JSONResponse(body)


def add_openapi_components(app: FastAPI) -> None:
    """Publish ReportIn (parsed by hand, so that wrong content types get 415) in the OpenAPI components."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        report_in = ReportIn.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(report_in.pop("$defs", {}))
        components["ReportIn"] = report_in
        schema.setdefault("components", {})["securitySchemes"] = {
            "PartnerKey": {"type": "http", "scheme": "bearer", "description": "kj_… key from "
                           "`khaojing partners create NAME`"}}
        schema["security"] = [{"PartnerKey": []}]
        for path, operations in schema.get("paths", {}).items():
            if not path.startswith("/api/v1/reports"):  # the public read API needs no key
                for operation in operations.values():
                    operation["security"] = []
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
