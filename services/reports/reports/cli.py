"""Command-line entry points: ``flask --app reports init-db`` and ``... events run``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from reports.events import consumers
from reports.models import Base, OutboxMessage
from shared.eventloop import run_event_process


def register(app: Flask) -> None:
    """Attach the service's commands to ``app``."""

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create the service's tables if they do not exist."""
        current_app.extensions["db"].create_all(Base)
        click.echo("reports: tables ready")

    events = AppGroup("events", help="The event process: outbox relay and consumers.")

    @events.command("run")
    def run() -> None:
        """Relay the outbox and consume submissions and report events until stopped."""
        flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
        run_event_process(flask_app, outbox=OutboxMessage, consumers=consumers(flask_app))

    app.cli.add_command(events)
