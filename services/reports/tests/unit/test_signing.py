"""Our Standard Webhooks signatures are what the reference library verifies."""

import base64
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from reports import signing

SECRET = signing.encode_secret(bytes(range(32)))


def test_a_secret_is_whsec_and_base64_of_its_key():
    assert SECRET.startswith("whsec_")
    assert base64.b64decode(SECRET.removeprefix("whsec_")) == bytes(range(32))
    assert signing.decode_secret(SECRET) == bytes(range(32))


@pytest.mark.parametrize(
    "bad",
    ["", "whsec_", "sk_AAAA", "whsec_not base64!", "whsec_" + base64.b64encode(b"short").decode()],
)
def test_malformed_secrets_are_refused(bad):
    with pytest.raises(signing.InvalidSecret):
        signing.decode_secret(bad)


def test_keys_outside_24_to_64_bytes_are_refused():
    with pytest.raises(signing.InvalidSecret):
        signing.encode_secret(b"x" * 23)
    with pytest.raises(signing.InvalidSecret):
        signing.encode_secret(b"x" * 65)


@given(
    key=st.binary(min_size=24, max_size=64),
    body=st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=4),
    message_id=st.from_regex(r"msg_[0-9a-f]{8,32}", fullmatch=True),
)
def test_the_standardwebhooks_library_verifies_our_headers(key, body, message_id):
    secret = signing.encode_secret(key)
    raw = json.dumps(body, ensure_ascii=False).encode()
    now = int(datetime.now(UTC).timestamp())
    headers = signing.signed_headers(secret, message_id=message_id, timestamp=now, body=raw)
    assert Webhook(secret).verify(raw, headers) == body


def test_the_signature_matches_the_library_for_a_known_message():
    sent_at = datetime(2026, 3, 4, 10, 0, 0, tzinfo=UTC)
    expected = Webhook(SECRET).sign("msg_1", sent_at, '{"a":1}')
    got = signing.signature(
        SECRET, message_id="msg_1", timestamp=int(sent_at.timestamp()), body=b'{"a":1}'
    )
    assert got == expected


def test_a_changed_body_or_another_secret_fails_verification():
    now = int(datetime.now(UTC).timestamp())
    headers = signing.signed_headers(SECRET, message_id="msg_1", timestamp=now, body=b"{}")
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(b'{"x":1}', headers)
    other = signing.encode_secret(b"y" * 32)
    with pytest.raises(WebhookVerificationError):
        Webhook(other).verify(b"{}", headers)
