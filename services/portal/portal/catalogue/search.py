"""Full-text search of the catalogue behind one interface, ``SearchIndex``, with two engines.

* SQLite (the embedded default): an FTS5 table, tokenizer ``porter unicode61 remove_diacritics
  2`` (accents folded, plural endings stemmed), ranked by BM25 with column weights.
* PostgreSQL: a ``tsvector`` per language version built with that language's configuration
  (``english``/``french``) over ``portal_unaccent()`` (the ``unaccent`` extension when it can be
  created, else an immutable ``translate()``), a GIN index, ranked by ``ts_rank`` with weights.

The engines are in ``search_sqlite.py`` and ``search_postgres.py``. Both index each language
version of an item (title > summary and tag labels > body) and answer
``scores()``: item id -> relevance, higher first. Everything else (visibility, filters, facets,
sorting, pages) is common code in ``listing.py``. The index rows are written in
the same transaction as the item, so search never lags behind the catalogue.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Protocol

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from portal.models import ContentItem

MAX_TERMS = 12
# Up to this many matching language versions, relevance is the engine's full ranking (BM25,
# ts_rank over every field); a broader query (a word most items contain) is ranked by where
# its words are (title, then summary and tags, then body), newest first within each, which
# costs a fraction: full ranking reads every match's statistics.
EXACT_LIMIT = 1000
# Words too common to narrow a search (PostgreSQL's configurations drop them too), so both
# engines answer "la gestion des risques" and "the risk of fraud" the same way.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "la",
        "le",
        "les",
        "leur",
        "par",
        "pour",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
    ]
)
_WORD = re.compile(r"\w+", re.UNICODE)
TEXT_FIELDS = ("title", "summary", "keywords", "body")


def fold(value: str) -> str:
    """Return ``value`` lowercased without diacritics (é -> e, œ -> oe)."""
    decomposed = unicodedata.normalize("NFKD", value.replace("œ", "oe").replace("Œ", "OE"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def query_terms(query: str | None) -> list[str]:
    """Return the search words of ``query`` (folded, without stop words, at most 12)."""
    if not query:
        return []
    words = [fold(word) for word in _WORD.findall(query)]
    kept = [w for w in words if w not in STOPWORDS and len(w) <= 60 and w.strip("_")]
    return list(dict.fromkeys(kept))[:MAX_TERMS]


class SearchIndex(Protocol):
    """A full-text index of the catalogue's language versions."""

    name: str

    def ensure_schema(self, connection: Connection) -> None:
        """Create the index's tables and functions if missing (idempotent)."""

    def refresh(self, session: Session, item: ContentItem, keywords: dict[str, str]) -> None:
        """Re-index every language version of ``item`` (with its tag labels per language)."""

    def remove(self, session: Session, item_id: str) -> None:
        """Drop ``item_id`` from the index."""

    def add_rows(self, session: Session, rows: list[dict[str, str]]) -> None:
        """Index language versions given as rows (item_id, language, title, summary, keywords,
        body), e.g. for a bulk load; ``refresh`` uses it."""

    def scores(self, session: Session, terms: list[str], languages: list[str]) -> dict[str, float]:
        """Return item id -> relevance (higher is better) of the items matching every term in
        one of their versions (only versions in ``languages`` when given)."""


def index_rows(item: ContentItem, keywords: dict[str, str]) -> list[dict[str, str]]:
    """Return the rows ``SearchIndex.add_rows`` takes for each language version of ``item``."""
    rows = []
    for version in item.translations:
        body = "\n".join(
            part
            for part in (
                version.body,
                version.problem,
                version.technology,
                version.results,
                version.lessons,
            )
            if part
        )
        rows.append(
            {
                "item_id": item.id,
                "language": version.language,
                "title": version.title,
                "summary": version.summary,
                "keywords": keywords.get(version.language, ""),
                "body": body,
            }
        )
    return rows


def fetch_rows(session: Session, sql: str, params: Any) -> list[tuple[Any, ...]]:
    """Run ``sql`` on the session's connection with the driver's own cursor: a search returns
    thousands of rows, and the driver's C-level fetch is several times faster here."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def best_scores(rows: list[tuple[Any, ...]], languages: list[str]) -> dict[str, float]:
    """Return each item's best score over its matching versions."""
    found: dict[str, float] = {}
    for item_id, language, score in rows:
        if languages and language not in languages:
            continue
        if item_id not in found or score > found[item_id]:
            found[item_id] = score
    return found


def index_for(dialect_name: str) -> SearchIndex:
    """Return the search index of a database dialect (``sqlite`` or ``postgresql``)."""
    # The engines' modules build on this one's helpers: imported here, when one is chosen.
    if dialect_name == "postgresql":
        from portal.catalogue.search_postgres import PostgresSearchIndex

        return PostgresSearchIndex()
    from portal.catalogue.search_sqlite import SqliteSearchIndex

    return SqliteSearchIndex()
