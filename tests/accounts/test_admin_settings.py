"""The admin's read-only settings page: every setting grouped by area with its KHAOJING_* variable and whether it
was set or is the default, topics and verdict labels, and secrets that never appear on the page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from helpers import csrf_from
from khaojing.accounts.models import Role
from khaojing.accounts.settings_view import effective_settings
from khaojing.settings import Settings

SECRETS = {"smtp_password": "smtp-pass-9f8e7d", "line_channel_secret": "line-secret-4c3b2a",
           "line_channel_access_token": "line-token-1a2b3c"}


def test_settings_page_groups_values_shows_sources_and_masks_secrets(env) -> None:  # noqa: ANN001
    for name, value in SECRETS.items():
        setattr(env.settings, name, value)
    env.settings.model_fields_set.update(SECRETS)
    env.settings.sla_first_action_hours_danger = 1.5
    env.settings.model_fields_set.add("sla_first_action_hours_danger")
    client = env.login(env.user(Role.admin), client=TestClient(env.app))
    page = client.get("/console/settings")
    assert page.status_code == 200
    text = page.text
    for value in (*SECRETS.values(), env.settings.secret_key):
        assert value not in text
    assert "KHAOJING_SMTP_PASSWORD" in text and "KHAOJING_SECRET_KEY" in text and "•••••• (ตั้งไว้แล้ว)" in text
    for heading in ("เรื่องตรวจสอบ หน่วยงาน และกำหนดเวลา (SLA)", "คัดกรอง จัดกลุ่ม และจับคู่ (เกณฑ์)",
                    "บัญชีและการเข้าสู่ระบบ", "อีเมล (SMTP)"):
        assert heading in text
    assert "KHAOJING_SLA_FIRST_ACTION_HOURS_DANGER" in text and ">1.5<" in text
    assert "KHAOJING_MATCH_AUTO_ANSWER_THRESHOLD" in text and "KHAOJING_SESSION_IDLE_SECONDS" in text
    for topic in env.settings.topics:
        assert topic.th in text
    for label in env.settings.verdict_labels:
        assert label.th in text and label.en in text
    assert "KHAOJING_TOPICS" in text and "KHAOJING_VERDICT_LABELS" in text
    english = client.get("/console/settings?lang=en").text
    assert "Effective settings" in english and "•••••• (set)" in english and "Cases, agencies and deadlines" in english


def test_every_setting_is_on_the_page_and_new_ones_land_under_other() -> None:
    settings = Settings(_env_file=None, dev_mode=True, smtp_password=None,
                        database_url="postgresql://khaojing:db-pass-77@db.internal:5432/khaojing")
    view = effective_settings(settings)
    rows = {row.name: row for _area, rows in view["areas"] for row in rows}
    assert set(rows) | {"topics", "verdict_labels"} == set(Settings.model_fields)
    assert rows["database_url"].value == "postgresql://khaojing:***@db.internal:5432/khaojing"
    assert rows["database_url"].explicit and not rows["sla_first_action_hours"].explicit
    assert rows["smtp_password"].value is None and rows["smtp_password"].secret == "unset"
    assert rows["secret_key"].secret == "default"  # the development key is flagged, not shown
    assert rows["line_channel_access_token"].env == "KHAOJING_LINE_CHANNEL_ACCESS_TOKEN"


def test_only_admins_see_the_settings(env) -> None:  # noqa: ANN001
    anonymous = TestClient(env.app).get("/console/settings", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/console/login?next=/console/settings"
    editor = env.login(env.user(Role.editor), client=TestClient(env.app))
    assert editor.get("/console/settings").status_code == 403
    assert 'href="/console/settings"' not in editor.get("/console/cases").text
    csrf_from(editor.get("/console/cases").text)  # still logged in after the refusal
