"""The ``events dead-letters`` commands of a service (``flask --app <service> events dead-letters
...``) over ``shared.deadletters``: list, show, replay and purge."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import click
import redis
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from shared import deadletters
from shared.deadletters import DeadLetter, DeadLetterError, GroupStreams, Replayed
from shared.translations import counted

_STREAM_HELP = "Only this stream's dead letters (e.g. assessment:events or assessment:events:dlq)."
_SCOPE = "shared.dead_letter_scope"
T = TypeVar("T")


@dataclass(frozen=True)
class _Scope:
    service: str
    groups: GroupStreams


def _scope() -> _Scope:
    scope: _Scope = click.get_current_context().meta[_SCOPE]
    return scope


def _client() -> redis.Redis:
    client: redis.Redis = current_app.extensions["redis"]
    return client


def _checked(action: Callable[[], T]) -> T:
    """Return ``action()``, a ``DeadLetterError`` told as the command's error."""
    try:
        return action()
    except DeadLetterError as exc:
        raise click.ClickException(str(exc)) from exc


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _line(letter: DeadLetter) -> str:
    reason = letter.reason if len(letter.reason) <= 100 else f"{letter.reason[:97]}..."
    return (
        f"{letter.id}  {letter.stream}  {letter.entry_id}  {letter.group}  "
        f"{letter.event_type or '?'}  {letter.event_id or '?'}  "
        f"{letter.deliveries}  {letter.time}  {reason}"
    )


def _one_of(entry_id: str | None, every: bool, every_flag: str) -> None:
    if (entry_id is None) == (not every):
        raise click.UsageError(f"give either an ENTRY_ID or {every_flag}")


def _stream_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--stream", default=None, help=_STREAM_HELP)(command)


@click.command("list")
@_stream_option
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="One JSON array instead of lines.")
@with_appcontext
def list_command(stream: str | None, limit: int, as_json: bool) -> None:
    """List dead letters, oldest first (id, stream, entry, group, event, reason)."""
    scope, client = _scope(), _client()
    letters = _checked(
        lambda: deadletters.list_dead_letters(client, scope.groups, stream=stream, limit=limit)
    )
    if as_json:
        _echo_json([letter.summary() for letter in letters])
        return
    for letter in letters:
        click.echo(_line(letter))
    counts = deadletters.count_dead_letters(client, scope.groups)
    totals = ", ".join(f"{name} {count}" for name, count in counts.items())
    totals = totals or f"none ({scope.service} runs no consumer groups)"
    click.echo(f"{scope.service}: {len(letters)} shown; dead letters per stream: {totals}")


@click.command("show")
@click.argument("entry_id")
@_stream_option
@with_appcontext
def show(entry_id: str, stream: str | None) -> None:
    """Print one dead letter with its full event, as JSON."""
    groups = _scope().groups
    letter = _checked(
        lambda: deadletters.find_dead_letter(_client(), groups, entry_id, stream=stream)
    )
    _echo_json(letter.document())


def _replay(
    entry_id: str | None, stream: str | None
) -> tuple[list[Replayed], list[tuple[DeadLetter, str]]]:
    client, groups = _client(), _scope().groups
    maxlen = int(current_app.config["EVENTS_STREAM_MAXLEN"])
    if entry_id is None:
        return deadletters.replay_all(client, groups, maxlen=maxlen, stream=stream)
    letter = deadletters.find_dead_letter(client, groups, entry_id, stream=stream)
    return [deadletters.replay(client, letter, maxlen=maxlen)], []


@click.command("replay")
@click.argument("entry_id", required=False)
@click.option("--all", "every", is_flag=True, help="Every dead letter (of --stream only).")
@_stream_option
@with_appcontext
def replay(entry_id: str | None, every: bool, stream: str | None) -> None:
    """Replay dead letters: their events go back to their stream for their group."""
    _one_of(entry_id, every, "--all")
    done, refused = _checked(lambda: _replay(entry_id, stream))
    for item in done:
        letter = item.letter
        note = " (it was marked handled: mark cleared)" if item.was_marked_handled else ""
        click.echo(
            f"replayed {letter.id}: {letter.event_type} {letter.event_id} -> "
            f"{letter.stream} {item.new_entry_id} for group {letter.group}{note}"
        )
    for letter, why in refused:
        click.echo(f"not replayed {letter.id}: {why}", err=True)
    click.echo(f"{_scope().service}: {len(done)} replayed, {len(refused)} not replayed")
    if refused:
        raise click.exceptions.Exit(1)


def _to_purge(entry_id: str | None, days: float | None, stream: str | None) -> list[DeadLetter]:
    client, groups = _client(), _scope().groups
    if entry_id is not None:
        return [deadletters.find_dead_letter(client, groups, entry_id, stream=stream)]
    return deadletters.older_than(client, groups, timedelta(days=days or 0), stream=stream)


@click.command("purge")
@click.argument("entry_id", required=False)
@click.option(
    "--older-than",
    "days",
    type=click.FloatRange(min=0),
    default=None,
    help="Every dead letter written more than DAYS days ago.",
)
@_stream_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def purge(entry_id: str | None, days: float | None, stream: str | None, yes: bool) -> None:
    """Delete dead letters for good (their events are never handled)."""
    _one_of(entry_id, days is not None, "--older-than DAYS")
    service = _scope().service
    letters = _checked(lambda: _to_purge(entry_id, days, stream))
    if not letters:
        click.echo(f"{service}: no dead letters to purge")
        return
    if not yes:
        many = counted(len(letters), "dead letter", "dead letters")
        click.confirm(f"Delete {many} for good?", abort=True)
    removed = deadletters.purge(_client(), letters)
    click.echo(f"{service}: {counted(removed, 'dead letter', 'dead letters')} purged")


def dead_letter_commands(service: str, groups: GroupStreams) -> AppGroup:
    """Return the ``dead-letters`` group for a service whose consumer groups are ``groups``."""

    def remember_scope() -> None:
        click.get_current_context().meta[_SCOPE] = _Scope(service, tuple(groups))

    group = AppGroup(
        "dead-letters",
        help="Events the service's consumer groups gave up on: list, show, replay, purge.",
        callback=remember_scope,
    )
    for command in (list_command, show, replay, purge):
        group.add_command(command)
    return group
