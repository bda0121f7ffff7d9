"""Command-line entry points: ``flask --app assessment init-db``, ``... db ...`` (migrations),
``... events run``, ``... imports run``, ``... frameworks validate [PATH]`` and
``... peers recompute`` and ``... actions remind``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from assessment.actions.cli import command_group as action_commands
from assessment.bulk.runner import run_importer
from assessment.config import GROUPS
from assessment.events import consumers
from assessment.framework_check import command_group as framework_commands
from assessment.frameworks import sync_repository_frameworks
from assessment.migrations import SCHEMA
from assessment.models import OutboxMessage
from assessment.peers.cli import command_group as peer_commands
from shared.deadletter_commands import dead_letter_commands
from shared.eventloop import run_event_process
from shared.migration_commands import db_commands, upgrade_app
from shared.migrations import require_current
from shared.outbox_commands import republish_command


def register(app: Flask) -> None:
    """Attach the service's commands to ``app``."""

    @app.cli.command("init-db")
    def init_db() -> None:
        """Upgrade the database (``db upgrade``), then publish the repository's frameworks."""
        flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
        click.echo(upgrade_app(flask_app, SCHEMA))
        with flask_app.extensions["db"].session(write=True) as session:
            added = sync_repository_frameworks(session=session)
        click.echo(f"assessment: tables ready; frameworks published: {added or 'none new'}")

    app.cli.add_command(db_commands(SCHEMA))
    app.cli.add_command(framework_commands())
    app.cli.add_command(peer_commands())
    app.cli.add_command(action_commands())

    events = AppGroup("events", help="The event process: outbox relay and consumers.")

    @events.command("run")
    def run() -> None:
        """Relay the outbox and keep the administration names until stopped."""
        flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
        require_current(flask_app, SCHEMA)
        run_event_process(flask_app, outbox=OutboxMessage, consumers=consumers(flask_app))

    events.add_command(dead_letter_commands("assessment", GROUPS))
    events.add_command(republish_command("assessment", OutboxMessage))
    app.cli.add_command(events)

    imports = AppGroup("imports", help="The importer: runs bulk import jobs.")

    @imports.command("run")
    def run_imports() -> None:
        """Claim and run import jobs until stopped."""
        flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
        require_current(flask_app, SCHEMA)
        run_importer(flask_app)

    app.cli.add_command(imports)
