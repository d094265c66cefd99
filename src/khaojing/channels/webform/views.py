"""(being written) HTML routes of this area."""

from fastapi import APIRouter

router = APIRouter()
