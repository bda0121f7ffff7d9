"""``flask --app reports digests send --period daily|weekly [--on DATE]``: gather each member's
waiting forum notifications into one digest e-mail for the period and queue it (ADR 0012)."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from reports import deliveries, digest_rendering, digests, mail
from reports.migrations import SCHEMA
from shared.migrations import require_current
from shared.timestamps import utcnow


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

    return group
