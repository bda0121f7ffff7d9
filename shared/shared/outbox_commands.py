"""The operator's ``events republish`` command, the same in every service: send the outbox's
events of a period again (after Redis lost events it had relayed), and the ``Since`` option type
the operators' commands share (``24h``, ``7d`` or an RFC 3339 time)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from shared.outbox import OutboxMixin, republish_since
from shared.timestamps import parse, utcnow

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhd])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class Since(click.ParamType[datetime, Any]):
    """A moment: an age (``30m``, ``24h``, ``7d``: that long ago) or an RFC 3339 date/time."""

    name = "since"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        """Return the moment as an aware UTC datetime."""
        if isinstance(value, datetime):
            return value
        text = str(value)
        age = _AGE.match(text)
        if age:
            return utcnow() - timedelta(**{_UNITS[age.group(2)]: float(age.group(1))})
        try:
            return parse(text)
        except ValueError:
            self.fail(f"{text!r} is neither an age (30m, 24h, 7d) nor an RFC 3339 time", param)


def republish_command(service: str, model: type[OutboxMixin]) -> click.Command:
    """Return ``republish``: mark the outbox rows published since a moment unpublished."""

    @click.command("republish")
    @click.option("--since", type=Since(), required=True, help="Published since: 2h or a time.")
    @click.option("--type", "event_types", multiple=True, help="Only this event type (repeat).")
    @with_appcontext
    def republish(since: datetime, event_types: tuple[str, ...]) -> None:
        """Send the events published since --since again (the relay picks them up)."""
        count = republish_since(
            current_app.extensions["db"], model, since=since, event_types=event_types
        )
        click.echo(f"{service}: events to publish again: {count}")

    return republish
