"""Public takedown transparency report (issue 8)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
