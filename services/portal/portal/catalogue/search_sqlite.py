"""The catalogue's search on SQLite (the embedded default): FTS5, accents folded, BM25."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from portal.catalogue.search import EXACT_LIMIT, best_scores, fetch_rows, index_rows
from portal.models import ContentItem


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
        count = fetch_rows(
            session,
            "SELECT count(*) FROM content_search WHERE content_search MATCH ?",
            (expression,),
        )[0][0]
        if count <= EXACT_LIMIT:
            # Lower bm25 is better; LIMIT keeps SQLite from flattening the ranked subquery.
            rows = fetch_rows(
                session,
                "SELECT r.item_id, r.language, -m.rank FROM ("  # noqa: S608 - constant weights
                f"SELECT rowid AS id, bm25(content_search, {self.WEIGHTS}) AS rank "
                "FROM content_search WHERE content_search MATCH ? LIMIT -1"
                ") AS m JOIN content_search_rows AS r ON r.id = m.id",
                (expression,),
            )
            return best_scores(rows, languages)
        return best_scores(self._tiers(session, expression), languages)

    def _tiers(self, session: Session, expression: str) -> list[tuple[Any, ...]]:
        """Rank a broad match by where its terms are: title, then summary or tags, then body."""
        return fetch_rows(
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
