"""Command-line entry points: ``flask --app portal init-db|seed-demo|db|keys|events ...``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal import accounts, catalogue, demo, keys
from portal.catalogue import items
from portal.config import GROUPS
from portal.events import consumers
from portal.migrations import SCHEMA
from portal.models import OutboxMessage
from shared.deadletter_commands import dead_letter_commands
from shared.errors import ApiError
from shared.eventloop import run_event_process
from shared.migration_commands import db_commands, upgrade_app
from shared.migrations import require_current
from shared.outbox_commands import republish_command


def _external_pem() -> str:
    return str(current_app.config["PORTAL_SIGNING_KEY_PEM"])


def register(app: Flask) -> None:
    """Attach the service's commands to ``app``."""

    @app.cli.command("init-db")
    def init_db() -> None:
        """Upgrade the database (``db upgrade``); create the search index and a signing key if
        they do not exist."""
        database = current_app.extensions["db"]
        click.echo(upgrade_app(current_app, SCHEMA))
        catalogue.ensure_schema(current_app._get_current_object())  # type: ignore[attr-defined]
        with database.session(write=True) as session:
            kid = keys.ensure_key(session=session, external_pem=_external_pem())
        click.echo(
            f"portal: tables ready (search: {current_app.extensions['portal.search'].name}); "
            f"signing key {kid}"
        )

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Create the demo administrations, accounts and catalogue (idempotent)."""
        database = current_app.extensions["db"]
        click.echo(upgrade_app(current_app, SCHEMA))
        with database.session(write=True) as session:
            created = demo.seed_demo(
                session=session, passwords=current_app.extensions["portal.passwords"]
            )
        click.echo(f"portal: demo accounts ready ({len(created)} new)")
        click.echo(f"  password for all: {demo.DEMO_PASSWORD}")
        for spec in demo.USERS:
            click.echo(f"  {spec.email:<28} {', '.join(spec.roles)}")
        catalogue.ensure_schema(current_app._get_current_object())  # type: ignore[attr-defined]
        loaded = demo.load_demo_content(
            database=database, index=current_app.extensions["portal.search"]
        )
        click.echo(f"portal: demo catalogue ready ({loaded} new items)")

    @app.cli.command("reindex-content")
    def reindex_content() -> None:
        """Rebuild the catalogue's search rows from its items (after a bulk import)."""
        database = current_app.extensions["db"]
        with database.session(write=True) as session:
            count = items.reindex_all(
                session=session, index=current_app.extensions["portal.search"]
            )
        click.echo(f"portal: {count} items reindexed")

    app.cli.add_command(db_commands(SCHEMA))
    app.cli.add_command(_keys_group())
    app.cli.add_command(_events_group())
    app.cli.add_command(_administrations_group())


def _administrations_group() -> AppGroup:
    group = AppGroup("administrations", help="Administrations: announce them to other services.")

    @group.command("republish")
    def republish() -> None:
        """Stage administration.created again for every administration, so the other services'
        read models of names fill on a platform that existed before them (idempotent there)."""
        with current_app.extensions["db"].session(write=True) as session:
            count = accounts.republish_administrations(session=session)
        click.echo(f"portal: administration.created staged for {count} administrations")

    return group


def _keys_group() -> AppGroup:
    group = AppGroup("keys", help="Token signing keys: list, rotate, retire.")

    @group.command("list")
    def list_keys() -> None:
        """List the signing keys, newest first."""
        activation_s = current_app.config["PORTAL_KEY_ACTIVATION_S"]
        with current_app.extensions["db"].session() as session:
            signing = keys.signing_kid(
                session=session, external_pem=_external_pem(), activation_s=activation_s
            )
            for row in keys.list_keys(session=session):
                state = f"retired {row.retired_at:%Y-%m-%d}" if row.retired_at else "published"
                if row.kid == signing:
                    state += ", signing"
                origin = "stored" if row.private_key_pem else "external"
                click.echo(f"{row.kid}  {row.created_at:%Y-%m-%d %H:%M}  {origin}  {state}")

    @group.command("rotate")
    def rotate() -> None:
        """Create a new signing key; older keys stay published so their tokens still verify."""
        with current_app.extensions["db"].session(write=True) as session:
            row = keys.rotate(session=session)
        delay = current_app.config["PORTAL_KEY_ACTIVATION_S"]
        click.echo(f"portal: new signing key {row.kid} (published now, signs in {delay} s)")

    # A kid is a JWK thumbprint (base64url): one in 64 starts with "-", which is the kid, not
    # an unknown option.
    @group.command("retire", context_settings={"ignore_unknown_options": True})
    @click.argument("kid")
    def retire(kid: str) -> None:
        """Retire a key: it leaves the JWKS and tokens it signed stop verifying."""
        try:
            with current_app.extensions["db"].session(write=True) as session:
                keys.retire(
                    session=session,
                    kid=kid,
                    activation_s=current_app.config["PORTAL_KEY_ACTIVATION_S"],
                )
        except ApiError as exc:
            raise click.ClickException(exc.detail or exc.code) from exc
        click.echo(f"portal: signing key {kid} retired")

    return group


def _events_group() -> AppGroup:
    group = AppGroup("events", help="The event process: the outbox relay and its consumer.")

    @group.command("run")
    def run() -> None:
        """Relay the outbox and queue sent assistance requests until stopped."""
        flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
        require_current(flask_app, SCHEMA)
        run_event_process(flask_app, outbox=OutboxMessage, consumers=consumers(flask_app))

    group.add_command(dead_letter_commands("portal", GROUPS))
    group.add_command(republish_command("portal", OutboxMessage))
    return group
