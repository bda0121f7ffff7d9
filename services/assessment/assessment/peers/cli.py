"""``flask --app assessment peers recompute``: recompute every regional peer aggregate."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from assessment.migrations import SCHEMA
from assessment.peers.participation import recompute_all, threshold_of
from shared.migrations import require_current


def command_group() -> AppGroup:
    """Return the ``peers`` command group."""
    peers = AppGroup("peers", help="Peer learning: regional aggregates of opted-in assessments.")

    @peers.command("recompute")
    def recompute() -> None:
        """Recompute every aggregate from the opt-ins and submissions as they are now."""
        flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
        require_current(flask_app, SCHEMA)
        with flask_app.extensions["db"].session(write=True) as session:
            groups = recompute_all(
                session=session,
                cache=flask_app.extensions["frameworks"],
                threshold=threshold_of(flask_app.config),
            )
        click.echo(f"assessment: peer aggregate groups recomputed: {groups}")

    return peers
