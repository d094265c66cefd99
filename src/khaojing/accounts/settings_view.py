"""The admin's read-only view of the effective settings: grouped by area, secrets masked, each with its env var."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import SecretStr
from sqlalchemy.engine import make_url

from khaojing.settings import DEFAULT_SECRET_KEY, Settings

# Areas in the order shown; a setting in none of them (a new one) is shown under "other", so nothing is hidden.
AREAS: list[tuple[str, tuple[str, ...]]] = [
    ("core", ("dev_mode", "secret_key", "center_name_th", "center_name_en", "base_url", "timezone",
              "default_language", "demo_data_dir")),
    ("storage", ("database_url", "data_dir", "sqlite_busy_timeout_ms", "db_pool_size")),
    ("accounts", ("session_max_age_seconds", "session_idle_seconds", "secure_cookies", "login_max_failures",
                  "login_window_seconds", "login_lockout_seconds", "password_link_hours", "require_2fa_roles",
                  "twofactor_pending_seconds", "rate_limit_enabled", "rate_limit_forms_per_minute",
                  "rate_limit_api_per_minute", "webhook_allow_private_targets")),
    ("intake", ("max_text_bytes", "max_image_bytes", "max_images_per_report", "max_urls_per_report",
                "max_request_bytes", "contact_retention_days")),
    ("matching", ("model_dir", "embedding_model", "match_auto_answer_threshold", "match_suggest_threshold",
                  "group_near_duplicate_threshold", "group_semantic_threshold", "ocr_enabled", "ocr_languages",
                  "resolve_short_urls")),
    ("cases", ("sla_first_action_hours_danger", "sla_first_action_hours", "sla_danger_threshold",
               "sla_reminder_fraction", "agency_answer_hours", "agency_escalate_after_chase_hours",
               "max_attachment_bytes")),
    ("mail", ("smtp_host", "smtp_port", "smtp_from", "smtp_username", "smtp_password", "smtp_starttls",
              "smtp_timeout_seconds")),
    ("line", ("line_channel_secret", "line_channel_access_token", "line_api_url", "line_data_api_url",
              "line_reply_token_seconds", "line_multicast_batch", "line_rate_limit_per_user")),
    ("jobs", ("inprocess_worker", "job_lease_seconds", "job_backoff_seconds", "worker_poll_seconds")),
    ("server", ("host", "port", "log_level")),
]
TABLES = ("topics", "verdict_labels")  # shown as their own tables
SECRET_RE = re.compile(r"(secret|token|password|passwd|api_key|private_key|credential)", re.IGNORECASE)
SECRET_TYPES = (str, bytes, SecretStr)


def is_secret(name: str, model: type[Settings] = Settings) -> bool:
    """A secret is text named like one (a key, token, password): a number or a switch named after one
    (password_link_hours, line_reply_token_seconds) is a setting like any other and is shown."""
    field = model.model_fields.get(name)
    if field is None or not SECRET_RE.search(name):
        return False
    kinds = get_args(field.annotation) or (field.annotation,)
    return any(kind in SECRET_TYPES for kind in kinds)


@dataclass
class Row:
    name: str
    env: str
    value: str | None  # None for a secret: `secret` tells whether it is set
    secret: str | None  # "set", "unset" or "default" (the development secret key) for secrets
    explicit: bool  # set in the environment or .env rather than the built-in default


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _masked_url(url: str) -> str:
    """A database URL with its password hidden."""
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001  (an unparsable URL is shown without anything after the scheme)
        return url.split("://", 1)[0] + "://…"
    return parsed.render_as_string(hide_password=True) if parsed.password else url


def _row(settings: Settings, name: str, prefix: str) -> Row:
    value = getattr(settings, name)
    explicit = name in settings.model_fields_set
    env = f"{prefix}{name.upper()}"
    if is_secret(name, type(settings)):
        state = "unset" if not value else ("default" if value == DEFAULT_SECRET_KEY else "set")
        return Row(name, env, None, state, explicit)
    if name == "database_url":
        return Row(name, env, _masked_url(str(value)), None, explicit)
    return Row(name, env, _display(value), None, explicit)


def effective_settings(settings: Settings) -> dict[str, Any]:
    """{"areas": [(area, [Row])], "topics": [...], "labels": [...], "tables_explicit": {...}} for the page."""
    prefix = settings.model_config.get("env_prefix", "") or ""
    fields = [name for name in type(settings).model_fields if name not in TABLES]
    placed: set[str] = set()
    areas = []
    for area, names in AREAS:
        rows = [_row(settings, n, prefix) for n in names if n in fields]
        placed.update(names)
        if rows:
            areas.append((area, rows))
    rest = [_row(settings, n, prefix) for n in fields if n not in placed]
    if rest:
        areas.append(("other", rest))
    return {"areas": areas, "topics": settings.topics, "labels": settings.verdict_labels,
            "tables": {name: (f"{prefix}{name.upper()}", name in settings.model_fields_set) for name in TABLES}}
