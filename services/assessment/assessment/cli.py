"""Command-line entry points: ``flask --app assessment init-db``, ``... events run`` and
``... imports run``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from assessment.bulk.runner import run_importer
from assessment.frameworks import sync_repository_frameworks
from assessment.models import Base, OutboxMessage
from shared.eventloop import run_event_process


def register(app: Flask) -> None:
    """Attach the service's commands to ``app``."""

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create the service's tables if they do not exist."""
        database = current_app.extensions["db"]
        database.create_all(Base)
        with database.session(write=True) as session:
            added = sync_repository_frameworks(session=session)
        click.echo(f"assessment: tables ready; frameworks published: {added or 'none new'}")

    events = AppGroup("events", help="The event process: outbox relay and consumers.")

    @events.command("run")
    def run() -> None:
        """Relay the outbox to the stream until stopped."""
        run_event_process(current_app._get_current_object(), outbox=OutboxMessage)  # type: ignore[attr-defined]

    app.cli.add_command(events)

    imports = AppGroup("imports", help="The importer: runs bulk import jobs.")

    @imports.command("run")
    def run_imports() -> None:
        """Claim and run import jobs until stopped."""
        run_importer(current_app._get_current_object())  # type: ignore[attr-defined]

    app.cli.add_command(imports)
