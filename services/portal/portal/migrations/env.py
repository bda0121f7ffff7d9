"""Alembic's environment of the portal service: ``flask --app portal db ...`` runs it."""

from portal.migrations import SCHEMA
from shared.migrations import run_environment

run_environment(SCHEMA)
