"""The evidence and takedown pages name people as people ("คุณ analyst", not "คุณ analyst (user:3)": the id stays in a
title) and an uploaded file by the name it was uploaded with, not the vault's "upload.png"."""

from __future__ import annotations

import re
from urllib.parse import unquote

from helpers import csrf_from, image_bytes
from khaojing.enforcement import takedowns

FILE_NAME = "ภาพหน้าจอโพสต์เพจปลอม.png"


def _visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_uploaded_file_keeps_its_name_and_people_are_named(env, enf_settings, staff) -> None:  # noqa: ANN001
    client = env.login(staff.analyst)
    token = csrf_from(client.get("/console/evidence").text)
    sent = client.post("/console/evidence/upload", data={"note": "ภาพจากผู้แจ้ง", "csrf_token": token},
                       files={"file": (FILE_NAME, image_bytes("PNG"), "image/png")}, follow_redirects=False)
    assert sent.status_code == 303
    detail = sent.headers["location"]
    html = client.get(detail).text
    link = re.search(r'<a href="(/console/evidence/\d+/files/\d+)"[^>]*>([^<]+)</a>', html)
    assert link and link.group(2) == FILE_NAME
    assert 'title="upload.png"' in html  # the name inside an evidence package, for whoever compares the two

    download = client.get(link.group(1))
    assert download.status_code == 200
    assert unquote(download.headers["content-disposition"]).endswith(f"evidence-1-{FILE_NAME}")

    text = _visible(client.get(detail).text)
    assert "(user:" not in text and "upload.png" not in text
    assert "คุณ analyst" in text
    assert f"คุณ analyst · {FILE_NAME}" in text  # the custody log's "viewed" entry names the file as well
    assert f'title="user:{staff.analyst.id}"' in client.get(detail).text


def test_the_takedown_log_names_people_without_their_ids(env, enf_settings, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        td = takedowns.create(session, url="https://www.tiktok.com/@shop/video/77", reason="scam",
                              actor=staff.analyst)
    client = env.login(staff.editor)
    html = client.get(f"/console/takedowns/{td.id}").text
    text = _visible(html)
    assert "คุณ analyst" in text and "(user:" not in text
    assert f'title="user:{staff.analyst.id}"' in html
