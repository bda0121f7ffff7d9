"""Alembic's environment of the reports service: ``flask --app reports db ...`` runs it."""

from reports.migrations import SCHEMA
from shared.migrations import run_environment

run_environment(SCHEMA)
