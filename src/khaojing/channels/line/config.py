"""LINE settings in one place: `line_config(settings)` is the only reader of the KHAOJING_LINE_* settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_API_URL = "https://api.line.me"
DEFAULT_DATA_API_URL = "https://api-data.line.me"


@dataclass(frozen=True)
class LineConfig:
    channel_secret: str
    channel_access_token: str
    api_url: str = DEFAULT_API_URL
    data_api_url: str = DEFAULT_DATA_API_URL
    reply_token_seconds: float = 50.0  # LINE: use a reply token within one minute of receiving the webhook
    multicast_batch: int = 500  # LINE's limit of user ids per multicast call
    rate_limit_per_user: int = 20  # messages a user may send per minute before the bot goes quiet
    base_url: str = "http://127.0.0.1:8000"
    timezone: str = "Asia/Bangkok"
    contact_retention_days: int = 90
    max_image_bytes: int = 10_000_000
    secret_key: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.channel_secret and self.channel_access_token)

    @property
    def webhook_url(self) -> str:
        return f"{self.base_url.rstrip('/')}/line/webhook"


def line_config(settings: Any) -> LineConfig:
    """The LINE part of the settings (and the few general settings LINE code needs)."""
    return LineConfig(
        channel_secret=settings.line_channel_secret,
        channel_access_token=settings.line_channel_access_token,
        api_url=settings.line_api_url.rstrip("/"),
        data_api_url=settings.line_data_api_url.rstrip("/"),
        reply_token_seconds=settings.line_reply_token_seconds,
        multicast_batch=settings.line_multicast_batch,
        rate_limit_per_user=settings.line_rate_limit_per_user,
        base_url=settings.base_url, timezone=settings.timezone,
        contact_retention_days=settings.contact_retention_days, max_image_bytes=settings.max_image_bytes,
        secret_key=settings.secret_key,
    )
