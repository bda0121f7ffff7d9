"""Alembic's environment of the assessment service: ``flask --app assessment db ...`` runs it."""

from assessment.migrations import SCHEMA
from shared.migrations import run_environment

run_environment(SCHEMA)
