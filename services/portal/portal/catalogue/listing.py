"""Searching and browsing the catalogue: full text, filters, facet counts, sorting, pages.

The full-text part comes from the database's ``SearchIndex`` (relevance of every matching item);
filters, facet counts and sorting run over the process's ``Snapshot`` of the catalogue, the same
code for both databases; the page itself is read from the database with the reader's visibility
rules. Facet counts are computed over the same filtered, visibility-restricted set as the
results (values within one facet are ORed, facets are ANDed), so a count never includes an item
the reader could not open.
"""

from __future__ import annotations

import heapq
import json
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.catalogue import vocabulary
from portal.catalogue.audience import Audience
from portal.catalogue.cache import ContentCache, Document
from portal.catalogue.reading import summary_view
from portal.catalogue.search import SearchIndex, query_terms
from portal.catalogue.snapshot import Entry, Snapshot, SnapshotHolder
from portal.models import ContentItem, ContentTranslation
from shared.db import Database
from shared.i18n import pick

FACETS = ("kind", "technology", "domain", "topic", "region", "language")
SORTS = ("relevance", "newest", "title", "event_date")
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class SearchParams:
    """What a reader asks the catalogue for (every filter optional)."""

    q: str = ""
    kind: tuple[str, ...] = ()
    technology: tuple[str, ...] = ()
    domain: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    status: tuple[str, ...] = ()  # editors only; others always get published items
    upcoming: bool = False
    sort: str = ""
    page: int = 1
    page_size: int = 20

    def cache_key(self) -> str:
        """Return a canonical text of the request (for the cache)."""
        return json.dumps(asdict(self), sort_keys=True)


@dataclass
class _Version:
    language: str
    title: str
    summary: str


@dataclass
class PageItem:
    """An item of a result page, read with two light queries (what ``summary_view`` needs)."""

    id: str
    slug: str
    kind: str
    subtype: str | None
    status: str
    visibility: str
    featured: bool
    region: str | None
    launch_url: str | None
    version: int
    published_at: datetime | None
    event_start: datetime | None
    event_end: datetime | None
    updated_at: datetime
    translations: list[_Version] = field(default_factory=list)
    labels: list[tuple[str, str]] = field(default_factory=list)

    def translation(self, language: str) -> _Version | None:
        """Return the version in ``language``, if any."""
        return next((t for t in self.translations if t.language == language), None)

    def values(self, facet: str) -> list[str]:
        """Return the sorted values of ``facet``."""
        return sorted(value for f, value in self.labels if f == facet)


ITEM_COLUMNS = (
    ContentItem.id,
    ContentItem.slug,
    ContentItem.kind,
    ContentItem.subtype,
    ContentItem.status,
    ContentItem.visibility,
    ContentItem.featured,
    ContentItem.region,
    ContentItem.launch_url,
    ContentItem.version,
    ContentItem.published_at,
    ContentItem.event_start,
    ContentItem.event_end,
    ContentItem.updated_at,
)


def _page_items(
    session: Session, audience: Audience, page: list[Entry], snapshot: Snapshot
) -> dict[str, PageItem]:
    """Read the page's items (one query) with the reader's visibility rules applied again: the
    snapshot only chose them. Their labels come from the snapshot, like the facet counts."""
    found: dict[str, PageItem] = {}
    entries = {entry.id: entry for entry in page}
    rows = session.execute(
        select(
            *ITEM_COLUMNS,
            ContentTranslation.language,
            ContentTranslation.title,
            ContentTranslation.summary,
        )
        .join(ContentTranslation, ContentTranslation.item_id == ContentItem.id)
        .where(ContentItem.id.in_(list(entries)))
        .order_by(ContentTranslation.language)
    )
    for row in rows:
        # Checked here rather than in SQL: with them in the WHERE clause SQLite may scan the
        # listing index instead of reading twenty rows by key.
        if not audience.admits(row.status, row.visibility):
            continue
        item = found.get(row.id)
        if item is None:
            columns = {column.key: getattr(row, column.key) for column in ITEM_COLUMNS}
            labels = [snapshot.labels[number] for number in entries[row.id].labels]
            item = found[row.id] = PageItem(**columns, labels=labels)
        item.translations.append(_Version(row.language, row.title, row.summary))
    return found


def _admitted(
    snapshot: Snapshot, audience: Audience, params: SearchParams, scores: dict[str, float] | None
) -> list[Entry]:
    """Return the entries the reader may see that pass every filter, newest first."""
    # One pass for the query's matches and the reader's rules: a broad query keeps most
    # entries, and a pass over 10,000 of them costs about a millisecond.
    visibilities = audience.visibilities
    entries: list[Entry]
    if audience.sees_unpublished:
        statuses = frozenset(params.status) or None
        entries = [
            e
            for e in snapshot.entries
            if e.visibility in visibilities
            and (statuses is None or e.status in statuses)
            and (scores is None or e.id in scores)
        ]
    else:
        entries = [
            e
            for e in snapshot.entries
            if e.status == "published"
            and e.visibility in visibilities
            and (scores is None or e.id in scores)
        ]
    for facet in ("kind", "region", "technology", "domain", "topic", "language"):
        values = getattr(params, facet)
        if values:
            wanted = snapshot.numbers(facet, values)
            entries = [e for e in entries if not e.labels.isdisjoint(wanted)]
    if params.upcoming:
        now = time.time()
        entries = [e for e in entries if (e.event_end or e.event_start or 0.0) >= now]
    return entries


def _ordered(
    entries: list[Entry],
    scores: dict[str, float] | None,
    params: SearchParams,
    language: str,
    end: int,
) -> list[Entry]:
    """Return the first ``end`` entries in the order asked for."""
    sort = params.sort or ("relevance" if scores is not None else "newest")
    if sort == "relevance" and scores is not None:
        # nlargest is stable: equal scores keep the newest-first order of ``entries``.
        return heapq.nlargest(end, entries, key=lambda e: scores[e.id])
    if sort == "title":
        return heapq.nsmallest(end, entries, key=lambda e: e.title_rank.get(language, 0))
    if sort == "event_date":
        return heapq.nsmallest(
            end, entries, key=lambda e: (e.event_start is None, e.event_start or 0.0, e.id)
        )
    return entries[:end]  # already newest first


def _facets(
    snapshot: Snapshot,
    entries: list[Entry],
    terms: dict[str, dict[str, dict[str, str]]],
    language: str,
) -> dict[str, list[dict[str, Any]]]:
    counts = Counter(chain.from_iterable(entry.labels for entry in entries))
    facets: dict[str, list[dict[str, Any]]] = {name: [] for name in FACETS}
    for number, count in counts.items():
        facet, value = snapshot.labels[number]
        if facet not in facets:
            continue
        label = vocabulary.fixed_label(facet, value, language)
        if label is None:
            labels = terms.get(facet, {})
            label = pick(labels[value], language) if value in labels else value
        facets[facet].append({"value": value, "label": label, "count": count})
    for values in facets.values():
        values.sort(key=lambda entry: (-entry["count"], entry["label"].lower()))
    return facets


def run_search(
    *,
    session: Session,
    audience: Audience,
    index: SearchIndex,
    params: SearchParams,
    language: str,
    snapshots: SnapshotHolder | None = None,
) -> dict[str, Any]:
    """Return one page of results, the total and the facet counts (no cache)."""
    page_size = max(1, min(params.page_size, MAX_PAGE_SIZE))
    page = max(1, params.page)
    snapshot = (snapshots or SnapshotHolder()).current(session)
    words = query_terms(params.q)
    languages = list(params.language)
    scores = (
        snapshot.remembered_scores(
            (tuple(words), tuple(languages)), lambda: index.scores(session, words, languages)
        )
        if words
        else None
    )
    matching = _admitted(snapshot, audience, params, scores)
    chosen = _ordered(matching, scores, params, language, page * page_size)
    page_entries = chosen[(page - 1) * page_size :]
    page_ids = [entry.id for entry in page_entries]
    items = _page_items(session, audience, page_entries, snapshot)
    terms = snapshot.terms
    results = []
    for item_id in page_ids:
        if item_id in items:
            view = summary_view(items[item_id], language, terms, audience)  # type: ignore[arg-type]
            if scores is not None:
                view["score"] = scores[item_id]
            results.append(view)
    total = len(matching)
    return {
        "items": results,
        "total": total,
        "page": page,
        "page_size": page_size,
        "pages": (total + page_size - 1) // page_size,
        "query": {"q": params.q, "terms": words},
        "facets": _facets(snapshot, matching, terms, language),
    }


def search_items(
    *,
    db: Database,
    audience: Audience,
    index: SearchIndex,
    params: SearchParams,
    language: str,
    cache: ContentCache | None = None,
    snapshots: SnapshotHolder | None = None,
) -> Document:
    """Search the catalogue as ``audience`` may see it; ``Document.data()`` is the result page.

    Texts of each result are in ``language`` when the item has it (each result says which).
    """

    def build() -> Document:  # a session only when there is something to read
        with db.session() as session:
            found = run_search(
                session=session,
                audience=audience,
                index=index,
                params=params,
                language=language,
                snapshots=snapshots,
            )
        return Document.of(found, language)

    if cache is None:
        return build()
    return cache.fetch("search", audience, language, params.cache_key(), build)
