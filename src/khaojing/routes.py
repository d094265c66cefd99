"""Mounts every area's router on the app (the composition root for HTTP routes)."""

from __future__ import annotations

from fastapi import FastAPI


def include_routes(app: FastAPI) -> None:
    from khaojing.accounts import admin as accounts_admin
    from khaojing.accounts import views as accounts_views
    from khaojing.audit import views as audit_views
    from khaojing.cases import views as cases_views
    from khaojing.channels.api import reports as api_reports
    from khaojing.channels.line import webhook as line_webhook
    from khaojing.channels.webform import check as webform_check
    from khaojing.channels.webform import views as webform_views
    from khaojing.claims import views as claims_views
    from khaojing.enforcement import public as enforcement_public
    from khaojing.enforcement import views as enforcement_views
    from khaojing.intake import views as intake_views
    from khaojing.publication import api as publication_api  # public verdicts (issue 6)
    from khaojing.publication import feeds as publication_feeds
    from khaojing.publication import views as publication_views
    from khaojing.tipline import views as tipline_views
    from khaojing.trends import public as trends_public
    from khaojing.trends import views as trends_views
    from khaojing.web import system

    app.include_router(system.router)
    app.include_router(api_reports.router, prefix="/api/v1")
    # HTML pages are not part of the API's OpenAPI document
    app.include_router(accounts_views.router, prefix="/console", include_in_schema=False)
    app.include_router(intake_views.router, prefix="/console", include_in_schema=False)
    app.include_router(audit_views.router, prefix="/console", include_in_schema=False)
    app.include_router(claims_views.router, prefix="/console", include_in_schema=False)
    app.include_router(cases_views.router, prefix="/console", include_in_schema=False)  # cases (issue 5)
    app.include_router(accounts_admin.router, prefix="/console", include_in_schema=False)  # admin (issue 5)
    app.include_router(tipline_views.router, prefix="/console", include_in_schema=False)  # tipline (issue 4)
    app.include_router(trends_views.router, prefix="/console", include_in_schema=False)  # dashboards (issue 7)
    app.include_router(enforcement_views.router, prefix="/console", include_in_schema=False)  # enforcement (issue 8)
    app.include_router(trends_public.router, include_in_schema=False)  # transparency dashboard (issue 7)
    app.include_router(enforcement_public.router, include_in_schema=False)  # takedown transparency (issue 8)
    app.include_router(webform_views.router, include_in_schema=False)
    app.include_router(webform_check.router, include_in_schema=False)  # check a message (issue 4)
    app.include_router(line_webhook.router, prefix="/line", include_in_schema=False)
    app.include_router(publication_views.router, include_in_schema=False)  # public verdict site (issue 6)
    app.include_router(publication_feeds.router, include_in_schema=False)  # Atom and JSON feeds (issue 6)
    app.include_router(publication_api.router, prefix="/api/v1", include_in_schema=True)  # public read API (issue 6)
    api_reports.add_openapi_components(app)
