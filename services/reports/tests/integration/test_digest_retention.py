"""Retention of the forum digests (ADR 0013) on the real database: switching to none drops the
items still waiting (in the same transaction; the notifications stay in-app), switching between
daily and weekly keeps them, and ``flask --app reports digests purge`` deletes the delivered and
failed digests older than N days with their items, in batches, never a pending digest nor what
waits for a member who chose a digest."""

from datetime import timedelta

import pytest
from sqlalchemy import event, update

from reports.digest_models import Digest, DigestItem
from reports.models import Notification
from shared.timestamps import utcnow

from .test_digests import _choose, _deliver, _reply, _rows, _run, _send

pytestmark = pytest.mark.integration

URL = "/api/v1/reports/notifications/preferences"


def _items_of(app, user_id):
    return [item for item in _rows(app, DigestItem) if item.user_id == user_id]


def test_daily_to_weekly_keeps_the_waiting_items_and_none_drops_them_but_not_the_sent_ones(
    app, client, auth, inbox
):
    _choose(app, **{"author-1": "daily"})
    _deliver(app, _reply("post-2"), _reply("post-3", quoted_author_id=None))
    _choose(app, **{"author-1": "weekly"})
    assert len(_items_of(app, "author-1")) == 2  # still waiting, now for the weekly digest
    assert _run(app, "daily") == "reports: daily digests queued for 2026-12-08: 0\n"
    assert _run(app, "weekly") == "reports: weekly digests queued for 2026-W50: 1\n"
    (weekly,) = _rows(app, Digest)
    assert _send(app, weekly.id).status == "delivered"
    assert [item.digest_id for item in _items_of(app, "author-1")] == [weekly.id, weekly.id]

    _deliver(app, _reply("post-4", quoted_author_id=None))
    assert [item.digest_id for item in _items_of(app, "author-1")].count(None) == 1
    member = auth("author-1", "adm-1", ("respondent",))
    assert client.put(URL, json={"frequency": "none"}, headers=member).status_code == 200
    # the waiting one is gone; those the delivered digest holds stay with it
    assert [item.digest_id for item in _items_of(app, "author-1")] == [weekly.id, weekly.id]
    assert len([n for n in _rows(app, Notification) if n.user_id == "author-1"]) == 3
    # choosing a digest again later does not bring the dropped notification back
    _choose(app, **{"author-1": "daily"})
    assert _run(app, "daily", "2026-12-09") == "reports: daily digests queued for 2026-12-09: 0\n"
    assert len(inbox.messages) == 1


def _age(app, model, ids, days):
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(
            update(model)
            .where(model.id.in_(ids))
            .values(created_at=utcnow() - timedelta(days=days))
        )


def _purge(app, *args):
    result = app.test_cli_runner().invoke(args=["digests", "purge", *args])
    assert result.exit_code == 0, result.output
    return result.output.split(": ", 2)[-1].strip()


def _digest_of(app, user_id, status, key="2026-09-01"):
    """Collect ``user_id``'s waiting items into a new digest and set its outcome."""
    with app.extensions["db"].session(write=True) as session, session.begin():
        digest = Digest(
            user_id=user_id,
            frequency="daily",
            period_key=key,
            address=f"{user_id}@douanes.example",
            language="en",
            status=status,
            attempts=0 if status == "pending" else 1,
        )
        session.add(digest)
        session.flush()
        session.execute(
            update(DigestItem)
            .where(DigestItem.user_id == user_id, DigestItem.digest_id.is_(None))
            .values(digest_id=digest.id)
        )
        return digest.id


def test_the_purge_deletes_old_finished_digests_in_batches_and_never_a_pending_one(app):
    _choose(app, **{"author-1": "daily", "quoted-1": "daily", "mentioned-1": "weekly"})
    _deliver(app, _reply("post-2", mentioned=["mentioned-1"]))
    delivered = _digest_of(app, "author-1", "delivered")
    failed = _digest_of(app, "quoted-1", "failed")
    pending = _digest_of(app, "mentioned-1", "pending")
    _deliver(app, _reply("post-3", mentioned=["mentioned-1"]))
    recent = _digest_of(app, "author-1", "delivered", key="2026-11-28")
    old_items = [i.id for i in _rows(app, DigestItem) if i.digest_id in (delivered, failed)]
    waiting = sorted(i.id for i in _rows(app, DigestItem) if i.digest_id is None)
    assert len(old_items) == 2 and len(waiting) == 2
    _age(app, Digest, [delivered, failed, pending], days=100)
    _age(app, DigestItem, [i.id for i in _rows(app, DigestItem)], days=100)
    _age(app, Digest, [recent], days=10)
    # a member who no longer chooses a digest (set before switching dropped them) left one waiting
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(
            update(DigestItem).where(DigestItem.id == waiting[0]).values(user_id="gone-1")
        )

    kept_waiting = waiting[1]

    engine = app.extensions["db"].engine
    deletes, commits = [], []

    def on_statement(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("DELETE FROM DIGESTS"):
            deletes.append(statement)

    def on_commit(conn):
        commits.append(conn)

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "commit", on_commit)
    try:
        assert _purge(app, "--batch-size", "1") == (
            "2 digests, 2 of their items, 1 items waiting for no digest"
        )
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "commit", on_commit)
    # one digest per transaction: two batches of digests, one of waiting items, two empty looks
    assert (len(deletes), len(commits)) == (2, 5)
    assert {d.id for d in _rows(app, Digest)} == {pending, recent}
    left = _rows(app, DigestItem)
    assert {i.id for i in left if i.digest_id is None} == {kept_waiting}  # none waits again
    assert not {i.id for i in left} & set(old_items)
    assert len([i for i in left if i.digest_id == pending]) == 1
    assert len(_rows(app, Notification)) == 6  # the in-app notifications are not touched
    # a second run has nothing left to do
    assert _purge(app) == "0 digests, 0 of their items, 0 items waiting for no digest"
    # a shorter retention takes the recent delivered one too, still not the pending one
    assert _purge(app, "--older-than-days", "5") == (
        "1 digests, 1 of their items, 0 items waiting for no digest"
    )
    assert [d.id for d in _rows(app, Digest)] == [pending]


def test_the_purge_refuses_a_retention_below_one_day(app):
    result = app.test_cli_runner().invoke(args=["digests", "purge", "--older-than-days", "0"])
    assert result.exit_code == 2 and "--older-than-days" in result.output
