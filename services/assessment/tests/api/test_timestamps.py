"""Times are answered as RFC 3339 with an offset, old rows stored without one included (UTC)."""

from shared.testing import write_naive_time

BASE = "/api/v1/assessment"


def test_an_old_row_without_offset_is_answered_in_utc_with_its_offset(client, auth, app, started):
    write_naive_time(app, "assessments", "created_at", started)
    answer = client.get(f"{BASE}/assessments/{started}", headers=auth()).json
    assert answer["created_at"] == "2026-12-06T01:52:47.738570+00:00"
    exported = client.get(f"{BASE}/assessments/{started}/export", headers=auth()).json
    assert exported["assessment"]["created_at"] == "2026-12-06T01:52:47.738570+00:00"
    assert exported["exported_at"].endswith("+00:00")


def test_new_times_are_answered_with_an_offset(client, auth, started):
    answer = client.get(f"{BASE}/assessments/{started}", headers=auth()).json
    assert answer["created_at"].endswith("+00:00")
    assert answer["updated_at"].endswith("+00:00")
    submitted = client.post(f"{BASE}/assessments/{started}/submit", headers=auth()).json
    assert submitted["submitted_at"].endswith("+00:00")
