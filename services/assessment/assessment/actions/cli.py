"""``flask --app assessment actions remind [--days N]``: stage the action reminders due now."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from assessment.actions.reminders import DEFAULT_DAYS, scan
from assessment.migrations import SCHEMA
from shared.migrations import require_current


def command_group() -> AppGroup:
    """Return the ``actions`` command group."""
    actions = AppGroup("actions", help="Action plans: reminders of due and overdue actions.")

    @actions.command("remind")
    @click.option("--days", default=DEFAULT_DAYS, show_default=True, type=click.IntRange(0, 365))
    def remind(days: int) -> None:
        """Stage action.due_soon (due within DAYS) and action.overdue, each once per action."""
        flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
        require_current(flask_app, SCHEMA)
        with flask_app.extensions["db"].session(write=True) as session:
            staged = scan(session=session, days=days)
        click.echo(
            f"assessment: reminders staged: {staged['due_soon']} due soon, "
            f"{staged['overdue']} overdue"
        )

    return actions
