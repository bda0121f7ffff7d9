"""``flask --app reports digests send --period daily|weekly [--on DATE]``: gather each member's
waiting forum notifications into one digest e-mail for the period and queue it (ADR 0013);
``... digests purge [--older-than-days N]``: delete the digests tried to the end before then."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from reports import deliveries, digest_rendering, digest_retention, digests, mail
from reports.migrations import SCHEMA
from shared.migrations import require_current
from shared.timestamps import utcnow

DEFAULT_DAYS = 90


def _day(value: str | None) -> date:
    if value is None:
        return utcnow().date()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--on") from exc


def command_group() -> AppGroup:
    """Return the ``digests`` command group."""
    group = AppGroup("digests", help="The optional e-mail digest of forum notifications.")

    @group.command("send")
    @click.option("--period", type=click.Choice(list(digests.SENT_FREQUENCIES)), required=True)
    @click.option(
        "--on", "on", default=None, help="The period's day, YYYY-MM-DD (default today, UTC)."
    )
    def send(period: str, on: str | None) -> None:
        """Queue one digest e-mail per member who chose PERIOD, once per member and period."""
        flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
        require_current(flask_app, SCHEMA)
        day = _day(on)
        key = digest_rendering.period_key(period, day)
        if not mail.configured(flask_app.config):
            click.echo(f"reports: e-mail is off (REPORTS_SMTP_HOST empty): no digest for {key}")
            return
        enqueue = deliveries.enqueuer(flask_app, deliveries.SEND_DIGEST)
        with flask_app.extensions["db"].session(write=True) as session:
            queued = digests.collect_safely(
                session=session, frequency=period, day=day, enqueue=enqueue
            )
        click.echo(f"reports: {period} digests queued for {key}: {len(queued)}")

    @group.command("purge")
    @click.option("--older-than-days", type=click.IntRange(min=1), default=DEFAULT_DAYS)
    @click.option("--batch-size", type=click.IntRange(min=1), default=digest_retention.BATCH_SIZE)
    def purge(older_than_days: int, batch_size: int) -> None:
        """Delete the delivered and failed digests older than N days and their items."""
        flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
        require_current(flask_app, SCHEMA)
        before = utcnow() - timedelta(days=older_than_days)
        with flask_app.extensions["db"].session(write=True) as session:
            purged = digest_retention.purge(session=session, before=before, batch_size=batch_size)
        click.echo(
            f"reports: purged digests made before {before:%Y-%m-%d %H:%M} UTC: "
            f"{purged.digests} digests, {purged.items} of their items, "
            f"{purged.waiting_items} items waiting for no digest"
        )

    return group
