"""The assessment service's schema migrations (Alembic): ``flask --app assessment db ...``."""

from __future__ import annotations

from pathlib import Path

from assessment.actions import models as _actions  # noqa: F401  (its tables are on Base)
from assessment.assistance import models as _assistance  # noqa: F401  (the same)
from assessment.models import Base
from shared.migrations import Schema

SCHEMA = Schema(service="assessment", metadata=Base.metadata, directory=Path(__file__).parent)
