"""Schemathesis over the whole OpenAPI document: generated requests to every API endpoint get no 5xx, only
documented status codes and content types, and responses that match their schemas."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from khaojing.intake.models import Report

CHECKS = [checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance, openapi_checks.response_schema_conformance,
          openapi_checks.response_headers_conformance]


def test_no_server_error_and_every_answer_is_documented(env) -> None:  # noqa: ANN001
    key = env.partner_key("fuzz")
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", env.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4  # POST and GET reports, the public list and one verdict

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case) -> None:  # noqa: ANN001
            case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)

        call()


def test_ids_beyond_the_integer_range_are_not_found(env) -> None:  # noqa: ANN001
    key = env.partner_key("range")
    huge = 2**70
    r = env.client.get(f"/api/v1/reports/{huge}", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert env.client.get(f"/api/v1/verdicts/{huge}").status_code == 404


def test_dates_at_the_ends_of_the_calendar_filter_instead_of_failing(env) -> None:  # noqa: ANN001
    for query in ("since=0001-01-01", "until=9999-12-31", "since=0001-01-01&until=0001-01-01"):
        r = env.client.get(f"/api/v1/verdicts?{query}")
        assert r.status_code == 200 and r.json()["items"] == [], query
        assert env.client.get(f"/verdicts?{query}").status_code == 200


def test_the_public_read_api_declares_no_key_and_the_partner_api_does(env) -> None:  # noqa: ANN001
    doc = env.client.get("/api/openapi.json").json()
    assert doc["paths"]["/api/v1/verdicts"]["get"]["security"] == []
    assert "security" not in doc["paths"]["/api/v1/reports"]["post"]  # the document-wide PartnerKey applies
    assert doc["security"] == [{"PartnerKey": []}]


def test_the_report_schema_says_what_an_empty_report_is(env) -> None:  # noqa: ANN001
    key = env.partner_key("empty")
    doc = env.client.get("/api/openapi.json").json()
    assert {tuple(alt["required"]) for alt in doc["components"]["schemas"]["ReportIn"]["anyOf"]} == {
        ("text",), ("urls",), ("images",)}
    r = env.client.post("/api/v1/reports", json={"external_id": "x-1"}, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 422
    with env.db.unit_of_work(readonly=True) as session:
        assert session.query(Report).count() == 0


def test_nul_characters_are_dropped_not_fatal(env) -> None:  # noqa: ANN001
    """PostgreSQL cannot hold NUL in text or JSON: a report or a lookup carrying one is cleaned, on both stores."""
    key = env.partner_key("nul")
    body = {"text": "ข่าว\u0000ปลอม", "meta": {"a\u0000": "b\u0000"}, "external_id": "x\u0000y"}
    first = env.client.post("/api/v1/reports", json=body, headers={"Authorization": f"Bearer {key}"})
    assert first.status_code == 201, first.text
    again = env.client.post("/api/v1/reports", json=body, headers={"Authorization": f"Bearer {key}"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]  # the repeat is still found
    with env.db.unit_of_work(readonly=True) as session:
        assert session.query(Report).count() == 1
    assert env.client.get("/api/v1/verdicts", params={"q": "ปลอม\u0000"}).status_code == 200
