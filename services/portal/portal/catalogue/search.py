"""Full-text search of the catalogue behind one interface, ``SearchIndex``, with two engines.

* SQLite (the embedded default): an FTS5 table, tokenizer ``porter unicode61 remove_diacritics
  2`` (accents folded, plural endings stemmed), ranked by BM25 with column weights.
* PostgreSQL: a ``tsvector`` per language version built with that language's configuration
  (``english``/``french``) over ``portal_unaccent()`` (the ``unaccent`` extension when it can be
  created, else an immutable ``translate()``), a GIN index, ranked by ``ts_rank`` with weights.

Both index each language version of an item (title > summary and tag labels > body) and answer
``scores()``: item id -> relevance, higher first. Everything else (visibility, filters, facets,
sorting, pages) is common code in ``listing.py``. The index rows are written in
the same transaction as the item, so search never lags behind the catalogue.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Protocol

from sqlalchemy import Connection, text
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


def _fetch(session: Session, sql: str, params: Any) -> list[tuple[Any, ...]]:
    """Run ``sql`` on the session's connection with the driver's own cursor: a search returns
    thousands of rows, and the driver's C-level fetch is several times faster here."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


class SqliteSearchIndex:
    """FTS5 index of the embedded database, over an external content table.

    The texts live in ``content_search_docs`` and which item and language each row is in the
    narrow ``content_search_rows``; the FTS5 table only holds the inverted index, so a search
    reads doclists, document sizes and the narrow table, never the texts of its matches.
    """

    name = "sqlite-fts5"
    # BM25 weights of title, summary, keywords, body.
    WEIGHTS = "10.0, 4.0, 3.0, 1.0"
    COLUMNS = "title, summary, keywords, body"

    def ensure_schema(self, connection: Connection) -> None:
        """Create the row map, the documents table and the FTS5 table if missing."""
        connection.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS content_search_rows ("
            " id INTEGER PRIMARY KEY, item_id VARCHAR(36) NOT NULL, language VARCHAR(2) NOT NULL)"
        )
        connection.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS ix_content_search_rows_item "
            "ON content_search_rows (item_id)"
        )
        connection.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS content_search_docs (id INTEGER PRIMARY KEY, "
            f"{self.COLUMNS.replace(',', ' TEXT NOT NULL,')} TEXT NOT NULL)"
        )
        connection.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS content_search USING fts5({self.COLUMNS}, "
            "content = 'content_search_docs', content_rowid = 'id', "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )

    def refresh(self, session: Session, item: ContentItem, keywords: dict[str, str]) -> None:
        """Replace the item's rows."""
        self.remove(session, item.id)
        self.add_rows(session, index_rows(item, keywords))

    def add_rows(self, session: Session, rows: list[dict[str, str]]) -> None:
        """Store the texts, then index them under the same rowid."""
        if not rows:
            return
        start = int(session.scalar(text("SELECT coalesce(max(id), 0) FROM content_search_rows")))
        numbered = [{**row, "id": start + n} for n, row in enumerate(rows, 1)]
        session.execute(
            text(
                "INSERT INTO content_search_rows (id, item_id, language) "
                "VALUES (:id, :item_id, :language)"
            ),
            numbered,
        )
        for table in ("content_search_docs", "content_search"):
            session.execute(
                text(
                    f"INSERT INTO {table} (rowid, {self.COLUMNS}) "  # noqa: S608 - constants
                    "VALUES (:id, :title, :summary, :keywords, :body)"
                ),
                numbered,
            )

    def remove(self, session: Session, item_id: str) -> None:
        """Delete the item's rows (FTS5 needs the indexed values to forget them)."""
        rows = "SELECT id FROM content_search_rows WHERE item_id = :id"
        session.execute(
            text(
                f"INSERT INTO content_search (content_search, rowid, {self.COLUMNS}) "  # noqa: S608
                f"SELECT 'delete', id, {self.COLUMNS} FROM content_search_docs WHERE id IN ({rows})"
            ),
            {"id": item_id},
        )
        session.execute(
            text(f"DELETE FROM content_search_docs WHERE id IN ({rows})"),  # noqa: S608
            {"id": item_id},
        )
        session.execute(
            text("DELETE FROM content_search_rows WHERE item_id = :id"), {"id": item_id}
        )

    def scores(self, session: Session, terms: list[str], languages: list[str]) -> dict[str, float]:
        """Match every term (FTS5 phrase-quoted, so no query syntax gets through)."""
        expression = " ".join('"' + term.replace('"', "") + '"' for term in terms)
        count = _fetch(
            session,
            "SELECT count(*) FROM content_search WHERE content_search MATCH ?",
            (expression,),
        )[0][0]
        if count <= EXACT_LIMIT:
            # Lower bm25 is better; LIMIT keeps SQLite from flattening the ranked subquery.
            rows = _fetch(
                session,
                "SELECT r.item_id, r.language, -m.rank FROM ("  # noqa: S608 - constant weights
                f"SELECT rowid AS id, bm25(content_search, {self.WEIGHTS}) AS rank "
                "FROM content_search WHERE content_search MATCH ? LIMIT -1"
                ") AS m JOIN content_search_rows AS r ON r.id = m.id",
                (expression,),
            )
            return _best(rows, languages)
        return _best(self._tiers(session, expression), languages)

    def _tiers(self, session: Session, expression: str) -> list[tuple[Any, ...]]:
        """Rank a broad match by where its terms are: title, then summary or tags, then body."""
        return _fetch(
            session,
            "SELECT r.item_id, r.language, CASE "
            "WHEN m.id IN (SELECT rowid FROM content_search WHERE content_search MATCH ?) THEN 3.0 "
            "WHEN m.id IN (SELECT rowid FROM content_search WHERE content_search MATCH ?) THEN 2.0 "
            "ELSE 1.0 END FROM (SELECT rowid AS id FROM content_search "
            "WHERE content_search MATCH ? LIMIT -1) AS m "
            "JOIN content_search_rows AS r ON r.id = m.id",
            (
                f"{{title}} : ({expression})",
                f"{{title summary keywords}} : ({expression})",
                expression,
            ),
        )


def _best(rows: list[tuple[Any, ...]], languages: list[str]) -> dict[str, float]:
    """Return each item's best score over its matching versions."""
    found: dict[str, float] = {}
    for item_id, language, score in rows:
        if languages and language not in languages:
            continue
        if item_id not in found or score > found[item_id]:
            found[item_id] = score
    return found


# Fallback when the unaccent extension cannot be created: the Latin letters French uses.
_ACCENTED = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿ"
_PLAIN = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyy"
_CONFIGS = {"en": "english", "fr": "french"}


def document_index(language: str) -> str:
    """Return the name of the GIN index of ``language``'s documents (PostgreSQL)."""
    return f"ix_content_search_document_{language}"


class PostgresSearchIndex:
    """tsvector index of the PostgreSQL database."""

    name = "postgresql-tsvector"

    def ensure_schema(self, connection: Connection) -> None:
        """Create unaccent (when allowed), portal_unaccent(), the table and its GIN index."""
        has_unaccent = self._create_unaccent(connection)
        if has_unaccent:
            body = "SELECT public.unaccent('public.unaccent'::regdictionary, $1)"
        else:
            body = (
                "SELECT translate(replace(replace(replace(replace($1, 'œ', 'oe'), 'Œ', 'OE'), "
                f"'æ', 'ae'), 'Æ', 'AE'), '{_ACCENTED}', '{_PLAIN}')"
            )
        connection.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION portal_unaccent(text) RETURNS text "
            f"LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$ {body} $f$"
        )
        connection.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS content_search ("
            " item_id varchar(36) NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,"
            " language varchar(2) NOT NULL,"
            " document tsvector NOT NULL,"
            " head tsvector NOT NULL,"
            " PRIMARY KEY (item_id, language))"
        )
        # The GIN index answers "which versions match" without reading them, while a
        # sequential scan decompresses every document to test it. With statistics, the planner
        # switches to that scan once a word is in a large share of the rows, several times
        # slower here; without them it assumes a match is rare and always takes the index.
        connection.exec_driver_sql(
            "ALTER TABLE content_search ALTER COLUMN document SET STATISTICS 0"
        )
        # One index per language, as each branch of a search asks for one language: with one
        # index over both, a word common to English and French (model, modèle) brought every
        # version of the other language to read and throw away (a broad query: 16,600 rows
        # read for 8,300 kept; measured 40% faster per branch). Editors write rarely: no
        # pending list, so the planner's cost of an index never depends on when VACUUM ran.
        for language in _CONFIGS:
            connection.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS {document_index(language)} "
                "ON content_search USING gin (document) WITH (fastupdate = off) "
                f"WHERE language = '{language}'"
            )
        connection.exec_driver_sql("DROP INDEX IF EXISTS ix_content_search_document")

    @staticmethod
    def _create_unaccent(connection: Connection) -> bool:
        """Create the unaccent extension if this role may; return whether it is there."""
        installed = connection.exec_driver_sql(
            "SELECT 1 FROM pg_extension WHERE extname = 'unaccent'"
        ).first()
        if installed:
            return True
        available = connection.exec_driver_sql(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'"
        ).first()
        if not available:
            return False
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
        except Exception:  # no privilege to create it: use the translate() fallback
            return False
        return True

    def refresh(self, session: Session, item: ContentItem, keywords: dict[str, str]) -> None:
        """Replace the item's rows with one weighted tsvector per language version."""
        self.remove(session, item.id)
        self.add_rows(session, index_rows(item, keywords))

    def add_rows(self, session: Session, rows: list[dict[str, str]]) -> None:
        """Insert one weighted tsvector per row, built with its language's configuration."""
        rows = [{**row, "config": _CONFIGS.get(row["language"], "simple")} for row in rows]
        if not rows:
            return

        def vector(fields: tuple[str, ...], weights: str) -> str:
            return " || ".join(
                f"setweight(to_tsvector(CAST(:config AS regconfig), portal_unaccent(:{field})), "
                f"'{weight}')"
                for field, weight in zip(fields, weights, strict=True)
            )

        session.execute(
            text(
                "INSERT INTO content_search (item_id, language, document, head) "  # noqa: S608
                f"VALUES (:item_id, :language, {vector(TEXT_FIELDS, 'ABBD')}, "
                f"{vector(TEXT_FIELDS[:3], 'ABB')})"
            ),
            rows,
        )

    def remove(self, session: Session, item_id: str) -> None:
        """Delete the item's rows."""
        session.execute(text("DELETE FROM content_search WHERE item_id = :id"), {"id": item_id})

    def scores(self, session: Session, terms: list[str], languages: list[str]) -> dict[str, float]:
        """Match every term in each version's own language configuration."""
        wanted = [lang for lang in _CONFIGS if not languages or lang in languages]
        if not wanted:
            return {}
        params = {"q": " ".join(terms)}
        rows = _fetch(session, self._ranked("head", wanted), params)
        if len(rows) <= EXACT_LIMIT:
            rows = _fetch(session, self._ranked("document", wanted), params)
        return _best(rows, [])

    @staticmethod
    def _ranked(vector: str, wanted: list[str]) -> str:
        """Return the query ranking matches by ``vector`` (document: every field; head: title,
        summary and tags, so a body-only match of a broad query ranks 0, newest first).

        One branch per language, each a GIN index scan whose only filter is the language
        (an OR of (language AND match) would test the match again on every row it reads); the
        ranking query is built once per branch in a one-row subquery, not once per row."""
        branches = []
        for lang in wanted:
            query = f"plainto_tsquery('{_CONFIGS[lang]}', portal_unaccent(%(q)s))"
            branches.append(
                f"SELECT s.item_id, s.language, "  # noqa: S608 - constants only
                f"ts_rank('{{0.1, 0.2, 0.4, 1.0}}', s.{vector}, q.query, 1) "
                f"FROM content_search AS s, (SELECT {query} AS query) AS q "
                f"WHERE s.document @@ {query} AND s.language = '{lang}'"
            )
        return " UNION ALL ".join(branches)


def index_for(dialect_name: str) -> SearchIndex:
    """Return the search index of a database dialect (``sqlite`` or ``postgresql``)."""
    if dialect_name == "postgresql":
        return PostgresSearchIndex()
    return SqliteSearchIndex()
