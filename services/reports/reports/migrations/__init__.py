"""The reports service's schema migrations (Alembic): ``flask --app reports db ...``."""

from __future__ import annotations

from pathlib import Path

from reports.models import Base
from shared.migrations import Schema

SCHEMA = Schema(service="reports", metadata=Base.metadata, directory=Path(__file__).parent)
