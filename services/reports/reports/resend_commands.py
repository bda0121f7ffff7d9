"""The operator's ``deliveries`` and ``emails`` commands (``flask --app reports deliveries
failed|stalled|resend``, the same for ``emails``): webhook deliveries and e-mails that failed or
stalled, sent again through the worker (see ``reports.resending``)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from reports import deliveries, resending
from reports.job_commands import STALLED_MINUTES
from reports.models import EmailDelivery, WebhookDelivery
from shared.outbox_commands import Since
from shared.timestamps import to_rfc3339, utcnow


def _time(value: datetime | None) -> str:
    return to_rfc3339(value, timespec="seconds") if value is not None else ""


def _webhook_row(row: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": row.id,
        "status": row.status,
        "administration_id": row.administration_id,
        "endpoint_id": row.endpoint_id,
        "event_type": row.event_type,
        "event_id": row.event_id,
        "attempts": row.attempts,
        "last_status_code": row.last_status_code,
        "created_at": _time(row.created_at),
        "last_attempt_at": _time(row.last_attempt_at),
        "last_error": row.last_error,
    }


def _email_row(row: EmailDelivery) -> dict[str, Any]:
    return {
        "id": row.id,
        "status": row.status,
        "user_id": row.user_id,
        "event_id": row.event_id,
        "language": row.language,
        "attempts": row.attempts,
        "created_at": _time(row.created_at),
        "last_error": row.last_error,
    }


def _line(row: dict[str, Any]) -> str:
    what = row.get("event_type") or row.get("user_id")
    code = f"  http={row['last_status_code']}" if row.get("last_status_code") else ""
    return (
        f"{row['id']}  {row['status']}  {row['created_at']}  {what}  attempts={row['attempts']}"
        f"{code}  {row['last_error'] or ''}"
    ).rstrip()


def _group(name: str, model: resending.Outgoing, task: str, noun: str) -> AppGroup:
    """Return the command group of one kind of outgoing message."""
    describe = _webhook_row if model is WebhookDelivery else _email_row
    group = AppGroup(name, help=f"{noun.capitalize()}: list failed or stalled ones, resend them.")
    older_than = click.option(
        "--older-than",
        "minutes",
        type=click.FloatRange(min=0),
        default=STALLED_MINUTES,
        show_default=True,
        help="A pending one untouched this many minutes is stalled (its task was lost).",
    )
    as_json = click.option("--json", "as_json", is_flag=True, help="One JSON array.")

    def echo(rows: list[Any], json_out: bool) -> None:
        described = [describe(row) for row in rows]
        if json_out:
            click.echo(json.dumps(described, indent=2, ensure_ascii=False))
            return
        for row in described:
            click.echo(_line(row))
        click.echo(f"reports: {noun}: {len(rows)}")

    @group.command("failed")
    @click.option("--since", type=Since(), default=None, help="Created since: 24h, 7d or a time.")
    @as_json
    def failed(since: datetime | None, as_json: bool) -> None:
        """List those that used every attempt, the newest first."""
        with current_app.extensions["db"].session() as session:
            echo(resending.list_failed(session=session, model=model, since=since), as_json)

    @group.command("stalled")
    @older_than
    @as_json
    def stalled(minutes: float, as_json: bool) -> None:
        """List pending ones untouched for --older-than minutes."""
        before = utcnow() - timedelta(minutes=minutes)
        with current_app.extensions["db"].session() as session:
            echo(resending.list_stalled(session=session, model=model, before=before), as_json)

    @group.command("resend")
    @click.argument("ids", nargs=-1)
    @click.option("--all-failed", is_flag=True, help="Every failed one (of --since only).")
    @click.option("--all-stalled", is_flag=True, help="Every stalled one (see --older-than).")
    @click.option("--since", type=Since(), default=None, help="With --all-failed: created since.")
    @older_than
    def resend(
        ids: tuple[str, ...],
        all_failed: bool,
        all_stalled: bool,
        since: datetime | None,
        minutes: float,
    ) -> None:
        """Send again: failed ones get a new round of attempts, stalled ones their task."""
        if sum((bool(ids), all_failed, all_stalled)) != 1:
            raise click.UsageError("give IDs, --all-failed or --all-stalled (one of them)")
        before = utcnow() - timedelta(minutes=minutes)
        wanted = list(ids)
        if not wanted:
            with current_app.extensions["db"].session() as session:
                found = (
                    resending.list_failed(session=session, model=model, since=since)
                    if all_failed
                    else resending.list_stalled(session=session, model=model, before=before)
                )
            wanted = [row.id for row in found]
        _resend_each(model, task, noun, wanted, before)

    return group


def _resend_each(
    model: resending.Outgoing, task: str, noun: str, ids: list[str], before: datetime
) -> None:
    """Resend each of ``ids``, print what became of it; exit 1 when one does not exist."""
    database = current_app.extensions["db"]
    enqueue = deliveries.enqueuer(current_app, task)
    outcomes: dict[str, int] = {}
    for item_id in ids:
        with database.session(write=True) as session:
            outcome = resending.resend(
                session=session,
                model=model,
                item_id=item_id,
                enqueue=enqueue,
                stalled_before=before,
            )
        outcomes[outcome.value] = outcomes.get(outcome.value, 0) + 1
        click.echo(f"{item_id}: {outcome.value}")
    summary = ", ".join(f"{count} {name}" for name, count in outcomes.items()) or "none"
    click.echo(f"reports: {noun}: {len(ids)}: {summary}")
    if outcomes.get(resending.Resent.MISSING.value):
        raise click.exceptions.Exit(1)


def command_groups() -> list[AppGroup]:
    """Return the ``deliveries`` (webhooks) and ``emails`` command groups."""
    return [
        _group("deliveries", WebhookDelivery, deliveries.DELIVER_WEBHOOK, "webhook deliveries"),
        _group("emails", EmailDelivery, deliveries.SEND_EMAIL, "e-mails"),
    ]
