"""Admin console pages: users, agencies, settings (issue 5), mounted under /console."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
