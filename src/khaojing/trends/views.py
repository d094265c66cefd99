"""Staff dashboards (issue 7), mounted under /console."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
