"""Times are answered as RFC 3339 with an offset, old rows stored without one included (UTC)."""

from sqlalchemy import text

URL = "/api/v1/portal/administrations"
OLD = "2026-12-06 01:52:47.738570"  # how rows were written before: naive UTC


def test_an_old_row_without_offset_is_answered_in_utc_with_its_offset(client, demo, login, app):
    with app.extensions["db"].session(write=True) as session, session.begin():
        if session.bind.dialect.name == "postgresql":
            session.execute(text("SET LOCAL TIME ZONE 'UTC'"))
        session.execute(
            text(f"UPDATE administrations SET created_at = '{OLD}' WHERE id = :id"),
            {"id": demo["demo"]},
        )
    answer = client.get(f"{URL}/{demo['demo']}", headers=login("operator@demo.example"))
    assert answer.status_code == 200, answer.json
    assert answer.json["created_at"] == "2026-12-06T01:52:47.738570+00:00"
