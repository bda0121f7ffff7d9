"""One outbound POST against a real local HTTP server: what counts as delivered, what is refused."""

import time

import pytest

from reports import sender


def _post(url, **kw):
    options = {"timeout_s": 2.0, "allow_private": True, **kw}
    return sender.post(url, body=b'{"a":1}', headers={"webhook-id": "msg_1"}, **options)


def test_a_2xx_answer_is_delivered_with_the_body_and_headers(webhook_receiver):
    receiver = webhook_receiver([200])
    outcome = _post(receiver.url + "?tenant=7")
    assert outcome.ok and outcome.status_code == 200 and outcome.error is None
    (request,) = receiver.requests
    assert request["path"] == "/hooks/smart-customs?tenant=7"
    assert request["body"] == b'{"a":1}'
    assert request["headers"]["webhook-id"] == "msg_1"
    assert request["headers"]["Content-Type"] == "application/json"


@pytest.mark.parametrize("status", [301, 302, 307, 400, 500, 503])
def test_other_answers_fail_and_redirects_are_not_followed(webhook_receiver, status):
    receiver = webhook_receiver([status])
    outcome = _post(receiver.url)
    assert not outcome.ok and outcome.status_code == status
    assert len(receiver.requests) == 1  # the Location was not visited


def test_a_slow_receiver_times_out_quickly(webhook_receiver):
    receiver = webhook_receiver(delay_s=2.0)
    started = time.monotonic()
    outcome = _post(receiver.url, timeout_s=0.3)
    assert time.monotonic() - started < 1.5
    assert outcome.status_code is None and "timed out" in outcome.error


def test_a_closed_port_is_an_error_not_an_exception():
    outcome = _post("http://127.0.0.1:9/x", timeout_s=0.5)
    assert outcome.status_code is None and outcome.error


def test_loopback_and_private_addresses_are_refused_unless_allowed(webhook_receiver):
    receiver = webhook_receiver([204])
    for url in (receiver.url, "http://localhost:9/x", "http://10.0.0.1/x", "http://[::1]:9/x"):
        outcome = _post(url, allow_private=False)
        assert outcome.status_code is None and outcome.error.startswith("refused:"), url
    assert receiver.requests == []


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/x", "file:///etc/passwd", "example.org/x", "http:///x",
     "https://user:pw@example.org/x", "http://example.org:99999/x"],
)  # fmt: skip
def test_urls_other_than_plain_http_or_https_are_refused(url):
    with pytest.raises(sender.UnsafeTarget):
        sender.check_url(url)
    assert _post(url).error.startswith("refused:")
