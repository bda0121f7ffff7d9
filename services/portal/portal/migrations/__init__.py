"""The portal service's schema migrations (Alembic): ``flask --app portal db ...``.

The catalogue's search index (``content_search*``: FTS5 on SQLite, tsvector and GIN indexes on
PostgreSQL) is not among them: it differs per engine, is derived from the items and is made, and
kept current, by ``catalogue.ensure_schema`` (``init-db``), so the migrations ignore its tables.
"""

from __future__ import annotations

from pathlib import Path

from portal.assistance import models as _assistance  # noqa: F401  (their tables are on Base)
from portal.contributions import models as _contributions  # noqa: F401  (the same)
from portal.directory import models as _directory  # noqa: F401  (the same)
from portal.forums import models as _forums  # noqa: F401  (the same)
from portal.models import Base
from shared.migrations import Schema


def search_index_table(name: str) -> bool:
    """Return whether ``name`` is one of the search index's tables."""
    return name == "content_search" or name.startswith("content_search_")


SCHEMA = Schema(
    service="portal",
    metadata=Base.metadata,
    directory=Path(__file__).parent,
    ignored_table=search_index_table,
)
