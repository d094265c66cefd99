"""Public transparency dashboard (issue 7): the funnel, volume by topic, verdicts, most-asked published verdicts and
overall response times — aggregates only, no personal or internal data (no bursts, no unpublished claims, no
per-agency figures)."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from khaojing.db.session import Database
from khaojing.trends.views import dashboard_context
from khaojing.web.deps import get_db
from khaojing.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/trends")
def public_trends(request: Request, db: Database = Depends(get_db)) -> Response:
    return render(request, "public/trends_dashboard.html", {"active": "trends", **dashboard_context(request, db,
                                                                                                   public=True)})
