"""The ``db`` commands of a service (``flask --app <service> db ...``) over ``shared.migrations``:
upgrade, downgrade, current, check and revision, and the line ``init-db`` prints."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from alembic import command
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from shared.migrations import (
    Migrated,
    Schema,
    behind_message,
    current_revisions,
    differences,
    downgrade,
    forget_scripts,
    migration_engine,
    upgrade,
)


def _url() -> str:
    return str(current_app.config["DATABASE_URL"])


def _revisions(revisions: tuple[str, ...]) -> str:
    return ", ".join(revisions) or "none"


def describe(schema: Schema, migrated: Migrated) -> str:
    """Return one line telling what an upgrade or downgrade did."""
    head = " (head)" if migrated.after == schema.heads() else ""
    adopted = (
        f"; adopted the existing tables at {migrated.adopted}"
        if migrated.adopted is not None
        else ""
    )
    if migrated.before == migrated.after:
        return f"{schema.service}: database at {_revisions(migrated.after)}{head}{adopted}"
    return (
        f"{schema.service}: database {_revisions(migrated.before)} -> "
        f"{_revisions(migrated.after)}{head}{adopted}"
    )


def upgrade_app(app: Flask, schema: Schema, revision: str = "head") -> str:
    """Upgrade ``app``'s database; return the line telling what was done (``init-db``)."""
    return describe(schema, upgrade(schema, str(app.config["DATABASE_URL"]), revision))


def _next_revision_id(script: ScriptDirectory) -> str:
    numbers = [int(s.revision) for s in script.walk_revisions() if s.revision.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


@contextmanager
def _reading(url: str) -> Iterator[Connection]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def current_line(schema: Schema, url: str) -> str:
    """Return what ``db current`` prints: the database's revision, the code's, and the state."""
    with _reading(url) as connection:
        current = current_revisions(connection)
    behind = behind_message(schema, current)
    state = behind if behind else "up to date" if current == schema.heads() else "newer"
    return (
        f"{schema.service}: database at {_revisions(current)}, "
        f"code head {_revisions(schema.heads())} ({state})"
    )


def check(schema: Schema, url: str) -> None:
    """Raise ``click.ClickException`` unless the database at ``url`` is at the head and matches
    the models (``db check``)."""
    with _reading(url) as connection:
        behind = behind_message(schema, current_revisions(connection))
        if behind:
            raise click.ClickException(behind)
        diffs = differences(schema, connection)
    if diffs:
        listed = "\n".join(f"  {diff}" for diff in diffs)
        raise click.ClickException(
            f"{schema.service}: the models differ from the migrations; write a revision "
            f"(`flask --app {schema.service} db revision --autogenerate -m ...`):\n{listed}"
        )


def write_revision(schema: Schema, url: str, message: str, *, autogenerate: bool) -> list[str]:
    """Write the next numbered revision (compared with the database at ``url`` when
    ``autogenerate``); return the files written. Alembic writes them unformatted: run
    ``make fmt``, then review them."""
    config = schema.config()
    script = ScriptDirectory.from_config(config)  # as on disk now, not as read at start
    engine = migration_engine(url)  # autogenerate only reads: rolled back at the end
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            written = command.revision(
                config, message=message, autogenerate=autogenerate, rev_id=_next_revision_id(script)
            )
    finally:
        engine.dispose()
        forget_scripts(schema)
    scripts = written if isinstance(written, list) else [written]
    return [one.path for one in scripts if one is not None]


def db_commands(schema: Schema) -> AppGroup:
    """Return the ``db`` command group of ``schema``'s service."""
    group = AppGroup("db", help="Schema migrations of the service's database (Alembic).")

    @group.command("upgrade")
    @click.argument("revision", default="head")
    def upgrade_command(revision: str) -> None:
        """Upgrade the database to REVISION (default: head)."""
        click.echo(upgrade_app(current_app, schema, revision))

    @group.command("downgrade")
    @click.argument("revision")
    def downgrade_command(revision: str) -> None:
        """Downgrade the database to REVISION (e.g. 0001, or -1); nothing changes if a revision
        on the way refuses (one whose downgrade would lose data that matters)."""
        try:
            migrated = downgrade(schema, _url(), revision)
        except NotImplementedError as exc:
            raise click.ClickException(f"{schema.service}: not downgraded: {exc}") from exc
        click.echo(describe(schema, migrated))

    @group.command("current")
    def current_command() -> None:
        """Show the database's revision and the code's."""
        click.echo(current_line(schema, _url()))

    @group.command("check")
    def check_command() -> None:
        """Fail when the database (at head) and the models differ (a missing revision)."""
        check(schema, _url())
        click.echo(f"{schema.service}: models and migrations match")

    @group.command("revision")
    @click.option("-m", "--message", required=True, help="What the revision changes.")
    @click.option("--autogenerate", is_flag=True, help="Compare the (upgraded) database first.")
    def revision_command(message: str, autogenerate: bool) -> None:
        """Write the next revision under migrations/versions (then `make fmt` and review it)."""
        for path in write_revision(schema, _url(), message, autogenerate=autogenerate):
            click.echo(f"{schema.service}: wrote {path}")

    return group
