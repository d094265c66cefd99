"""Tipline console pages: blocklist, Flex message preview (issue 4), mounted under /console."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
