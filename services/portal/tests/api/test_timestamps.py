"""Times are answered as RFC 3339 with an offset, old rows stored without one included (UTC)."""

from shared.testing import write_naive_time

URL = "/api/v1/portal/administrations"


def test_an_old_row_without_offset_is_answered_in_utc_with_its_offset(client, demo, login, app):
    write_naive_time(app, "administrations", "created_at", demo["demo"])
    answer = client.get(f"{URL}/{demo['demo']}", headers=login("operator@demo.example"))
    assert answer.status_code == 200, answer.json
    assert answer.json["created_at"] == "2026-12-06T01:52:47.738570+00:00"
