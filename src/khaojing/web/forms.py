"""Ids typed into forms and query strings: digits only, and small enough for the database's integer columns."""

from __future__ import annotations

from khaojing.errors import Invalid

MAX_ID_DIGITS = 17  # below 2**63 with room: a longer number names nothing that exists


def optional_id(raw: str | None) -> int | None:
    """The id, or None when the value is empty or not a plain number (filters: a bad value is ignored)."""
    raw = (raw or "").strip().lstrip("#")
    return int(raw) if raw.isdigit() and len(raw) <= MAX_ID_DIGITS else None


def form_id(raw: str | None, field: str) -> int | None:
    """The id, None when left empty; a clear Invalid (422) when something else was typed."""
    value = (raw or "").strip().lstrip("#")
    if not value:
        return None
    if optional_id(value) is None:
        raise Invalid(f"{field} must be a number", key="form.err.number", params={"value": value[:20]},
                      fields=[{"field": field, "message": "not a number"}])
    return int(value)
