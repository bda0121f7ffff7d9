"""Command-line entry points: ``flask --app reports init-db``, ``... db ...`` (migrations),
``... events run``, ``... events dead-letters ...``, ``... jobs ...``, ``... deliveries ...`` and
``... emails ...`` (the operator's) and ``... digests send|purge`` (the scheduled forum digests)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from reports import digest_cli, job_commands, resend_commands
from reports.config import SERVICE
from reports.events import consumers
from reports.metrics import GROUPS
from reports.migrations import SCHEMA
from reports.models import OutboxMessage
from shared.deadletter_commands import dead_letter_commands
from shared.eventloop import run_event_process
from shared.migration_commands import db_commands, upgrade_app
from shared.migrations import require_current
from shared.outbox_commands import republish_command


def register(app: Flask) -> None:
    """Attach the service's commands to ``app``."""

    @app.cli.command("init-db")
    def init_db() -> None:
        """Upgrade the database to the code's schema (``db upgrade``)."""
        click.echo(upgrade_app(current_app, SCHEMA))
        click.echo("reports: tables ready")

    app.cli.add_command(db_commands(SCHEMA))

    events = AppGroup("events", help="The event process: outbox relay and consumers.")

    @events.command("run")
    def run() -> None:
        """Relay the outbox and consume submissions and report events until stopped."""
        flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
        require_current(flask_app, SCHEMA)
        run_event_process(flask_app, outbox=OutboxMessage, consumers=consumers(flask_app))

    events.add_command(dead_letter_commands(SERVICE, GROUPS))
    events.add_command(republish_command(SERVICE, OutboxMessage))
    app.cli.add_command(events)
    app.cli.add_command(job_commands.jobs_group())
    app.cli.add_command(digest_cli.command_group())
    for group in resend_commands.command_groups():
        app.cli.add_command(group)
