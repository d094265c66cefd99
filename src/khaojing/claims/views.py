"""(being written) Console pages for claims: the priority queue, claim detail, merge, split, topic override."""

from fastapi import APIRouter

router = APIRouter()
