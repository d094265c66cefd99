"""A full upload disk: images are refused with 507 and Retry-After, text reports still come in, nothing is lost
or half-written, and uploads work again once there is room."""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpers import TestEnv, image_bytes
from khaojing.db.session import Database
from khaojing.intake.models import Media, Report
from khaojing.settings import Settings


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB file system (tmpfs) for the media folder."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _env(settings: Settings, media_root: Path, keep_free_mb: int) -> tuple[TestEnv, Database]:
    s = settings.model_copy(update={"media_keep_free_mb": keep_free_mb, "data_dir": media_root})
    assert s.media_dir.is_relative_to(media_root)  # media on the small disk (the test database is elsewhere)
    db = Database(s)
    return TestEnv(s, db), db


def _photo(seed: int) -> str:
    return base64.b64encode(image_bytes(size=(64 + seed, 48), color=(seed % 255, 40, 90))).decode()


def test_a_full_disk_refuses_images_keeps_text_and_recovers(settings: Settings, small_disk: Path) -> None:
    env, db = _env(settings, small_disk, keep_free_mb=0)
    key = env.partner_key("disk")
    auth = {"Authorization": f"Bearer {key}"}
    filler = small_disk / "filler.bin"
    with open(filler, "wb") as fh:  # fill the disk to the last block
        try:
            while True:
                fh.write(os.urandom(64 * 1024))
                fh.flush()
        except OSError:
            pass
    free = os.statvfs(small_disk).f_bavail

    r = env.client.post("/api/v1/reports", json={"text": "ภาพข่าวปลอม", "images": [
        {"content_base64": _photo(1), "filename": "a.png"}]}, headers={**auth, "Idempotency-Key": "img-1"})
    assert r.status_code == 507, r.text
    assert r.json()["error"]["code"] == "storage_full" and r.headers["retry-after"] == "300"
    assert not list(small_disk.rglob("*.tmp*"))  # nothing half-written
    assert env.client.post("/api/v1/reports", json={"text": "ข้อความอย่างเดียวยังส่งได้"},
                           headers=auth).status_code == 201

    filler.unlink()  # room again: the partner's retry with the same key goes through, once
    r = env.client.post("/api/v1/reports", json={"text": "ภาพข่าวปลอม", "images": [
        {"content_base64": _photo(1), "filename": "a.png"}]}, headers={**auth, "Idempotency-Key": "img-1"})
    assert r.status_code == 201, r.text
    with db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(Report.id))) == 2
        assert session.scalar(select(func.count(Media.id))) == 1
    print(f"\nfree blocks when full: {free}; refused 1 image (507), kept 1 text report, retry stored 1 image")
    env.close()
    db.dispose()


def test_uploads_stop_before_the_disk_is_full(settings: Settings, small_disk: Path) -> None:
    env, db = _env(settings, small_disk, keep_free_mb=5)  # more than the whole 2 MB disk: always refused
    auth = {"Authorization": f"Bearer {env.partner_key('reserve')}"}
    r = env.client.post("/api/v1/reports", json={"text": "มีภาพ", "images": [
        {"content_base64": _photo(2), "filename": "b.png"}]}, headers=auth)
    assert r.status_code == 507 and "5 MB" in r.json()["error"]["message"]
    assert list(small_disk.rglob("*.png")) == []
    env.close()
    db.dispose()
