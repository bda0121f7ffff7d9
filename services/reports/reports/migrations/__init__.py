"""The reports service's schema migrations (Alembic): ``flask --app reports db ...``."""

from __future__ import annotations

from pathlib import Path

from reports import digest_models  # noqa: F401 - the digest tables are of the same schema
from reports.models import Base
from shared.migrations import Schema

SCHEMA = Schema(service="reports", metadata=Base.metadata, directory=Path(__file__).parent)
