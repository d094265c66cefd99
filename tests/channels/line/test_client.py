"""The Messaging API client against the fake LINE API: the right host, the right body, errors sorted for retry."""

from __future__ import annotations

import pytest

from helpers import image_bytes
from khaojing.channels.line.client import LineClient, LinePermanent, LineRetryable, batch_retry_key
from khaojing.channels.line.config import line_config
from khaojing.jobs.worker import PermanentError
from line_fake import FakeLine

HELLO = [{"type": "text", "text": "สวัสดี"}]
KEY = "123e4567-e89b-12d3-a456-426614174000"


@pytest.fixture
def client(settings) -> LineClient:  # noqa: ANN001
    return LineClient(line_config(settings))


@pytest.mark.parametrize(("status", "kind", "uncertain"), [
    (429, LineRetryable, False), (500, LineRetryable, True), (503, LineRetryable, True),
    (400, LinePermanent, False), (401, LinePermanent, False), (403, LinePermanent, False)])
def test_errors_are_sorted_into_retryable_and_permanent(client, line_api: FakeLine, status, kind, uncertain) -> None:  # noqa: ANN001
    line_api.fail_next(1, status, message=f"said with {status}")
    with pytest.raises(kind) as caught:
        client.push("U" + "1" * 32, HELLO, retry_key=KEY)
    assert caught.value.status == status and caught.value.message == f"said with {status}"
    assert caught.value.uncertain is uncertain
    assert isinstance(caught.value, PermanentError) is (kind is LinePermanent)


def test_lines_validation_details_are_kept(client, line_api: FakeLine) -> None:  # noqa: ANN001
    with pytest.raises(LinePermanent) as caught:
        client.reply("token", [{"type": "text", "text": "x" * 5001}])
    assert caught.value.status == 400 and "messages[0].text" in str(caught.value)


def test_a_refused_connection_is_retryable_and_certainly_not_sent(settings) -> None:  # noqa: ANN001
    down = LineClient(line_config(settings.model_copy(update={"line_api_url": "http://127.0.0.1:9"})))
    with pytest.raises(LineRetryable) as caught:
        down.reply("token", HELLO)
    assert caught.value.status == 0 and caught.value.uncertain is False


def test_reply_push_and_loading_use_the_bearer_token_and_valid_bodies(client, line_api: FakeLine) -> None:  # noqa: ANN001
    client.reply("token-1", HELLO)
    assert client.push("U" + "2" * 32, HELLO, retry_key=KEY) is True
    assert client.push("U" + "2" * 32, HELLO, retry_key=KEY) is False  # 409: LINE had it already
    assert client.show_loading("U" + "2" * 32, 17) is True
    calls = line_api.sent(ok_only=False)
    assert [c.status for c in calls] == [200, 200, 409, 202]
    assert all(c.headers["authorization"] == "Bearer test-channel-access-token" and c.host == "api" for c in calls)
    assert calls[3].body == {"chatId": "U" + "2" * 32, "loadingSeconds": 15}


def test_a_wrong_token_is_a_permanent_401(settings, line_api: FakeLine) -> None:  # noqa: ANN001
    wrong = LineClient(line_config(settings.model_copy(update={"line_channel_access_token": "stolen"})))
    with pytest.raises(LinePermanent) as caught:
        wrong.reply("token", HELLO)
    assert caught.value.status == 401


def test_multicast_is_split_in_batches_with_a_retry_key_each(settings, line_api: FakeLine) -> None:  # noqa: ANN001
    client = LineClient(line_config(settings.model_copy(update={"line_multicast_batch": 500})))
    users = [f"U{i:032x}" for i in range(1234)]
    assert client.multicast(users, HELLO, retry_key=KEY) == 3
    calls = line_api.sent("/v2/bot/message/multicast")
    assert [len(c.body["to"]) for c in calls] == [500, 500, 234]
    assert [c.headers["x-line-retry-key"] for c in calls] == [batch_retry_key(KEY, i) for i in range(3)]
    assert client.multicast(users, HELLO, retry_key=KEY) == 0  # all three already accepted


def test_content_is_downloaded_from_the_data_host_within_the_limit(client, line_api: FakeLine) -> None:  # noqa: ANN001
    png = image_bytes("PNG")
    line_api.content["1001"] = (png, "image/png")
    line_api.content["1002"] = (b"\0" * 5000, "image/jpeg")
    got = client.get_content("1001", max_bytes=10_000)
    assert (got.data, got.content_type, got.too_large) == (png, "image/png", False)
    assert client.get_content("1002", max_bytes=4999).too_large is True
    assert client.get_content("1001", max_bytes=10_000).data == png  # the connection is still usable
    with pytest.raises(LinePermanent):
        client.get_content("404", max_bytes=10)
    assert {c.host for c in line_api.sent(ok_only=False)} == {"data"}


def test_rich_menu_create_upload_and_default(client, line_api: FakeLine) -> None:  # noqa: ANN001
    from khaojing.channels.line.richmenu import menu_definition, menu_image

    menu_id = client.create_rich_menu(menu_definition())
    client.upload_rich_menu_image(menu_id, menu_image(), "image/png")
    client.set_default_rich_menu(menu_id)
    assert line_api.default_rich_menu == menu_id and menu_id in line_api.rich_menu_images
    upload = line_api.sent(f"/v2/bot/richmenu/{menu_id}/content")[0]
    assert upload.host == "data" and upload.headers["content-type"] == "image/png"
