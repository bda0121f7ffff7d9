"""Each web process's in-memory copy of what filters, facets and sorting need (no texts).

Counting facets over thousands of matching items is a GROUP BY over every label row in SQL;
over this copy it is one pass of a C-implemented counter over small integers. Entries are kept
newest first with their rank in title order per language, so most result lists need no sort.
It also holds the vocabularies' labels. The copy is rebuilt when the catalogue's version
(``state``: incremented by every write, in the write's transaction) differs from the one it was
built at: one primary-key read per search.
Pages of results are still read from the database with the reader's visibility rules, so a
copy a moment old can at most miscount, never show an item the reader may not see.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.catalogue import state, vocabulary
from portal.catalogue.search import fold
from portal.models import ContentItem, ContentLabel, ContentTranslation

Label = tuple[str, str]  # (facet, value)
REMEMBERED_QUERIES = 64


@dataclass(frozen=True, slots=True)
class Entry:
    """One item's filterable attributes (labels as numbers of ``Snapshot.labels``)."""

    id: str
    status: str
    visibility: str
    event_start: float | None
    event_end: float | None
    labels: frozenset[int]
    newest_rank: int
    title_rank: dict[str, int]


@dataclass
class Snapshot:
    """Every item's entry at one catalogue version, newest first."""

    version: int
    entries: list[Entry] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    terms: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    label_numbers: dict[Label, int] = field(default_factory=dict)

    scores: OrderedDict[tuple[object, ...], dict[str, float]] = field(default_factory=OrderedDict)

    def remembered_scores(
        self, key: tuple[object, ...], compute: Callable[[], dict[str, float]]
    ) -> dict[str, float]:
        """Return the relevance of a text query at this version, computed once for the recent
        ones: refining a search by facets, pages or sorting asks the same text again."""
        found = self.scores.get(key)
        if found is None:
            found = self.scores[key] = compute()
            while len(self.scores) > REMEMBERED_QUERIES:
                self.scores.popitem(last=False)
        else:
            self.scores.move_to_end(key)
        return found

    def numbers(self, facet: str, values: tuple[str, ...]) -> frozenset[int]:
        """Return the numbers of the labels ``facet`` = one of ``values`` (unknown: none)."""
        return frozenset(
            self.label_numbers[(facet, v)] for v in values if (facet, v) in self.label_numbers
        )


def _stamp(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def _titles(session: Session) -> dict[str, dict[str, int]]:
    """Return item id -> language -> rank of its title in that language's alphabetical order
    (an item without that version sorts by its other title)."""
    titles: dict[str, dict[str, str]] = defaultdict(dict)
    for item_id, language, title in session.execute(
        select(ContentTranslation.item_id, ContentTranslation.language, ContentTranslation.title)
    ):
        titles[item_id][language] = fold(title)
    ranks: dict[str, dict[str, int]] = defaultdict(dict)
    for language in ("en", "fr"):

        def key(item_id: str, language: str = language) -> tuple[str, str]:
            own = titles[item_id]
            return (own.get(language) or next(iter(own.values()), ""), item_id)

        for rank, item_id in enumerate(sorted(titles, key=key)):
            ranks[item_id][language] = rank
    return ranks


def build(session: Session, version: int) -> Snapshot:
    """Read every item's state, labels and title order."""
    snapshot = Snapshot(version, terms=vocabulary.labels_by_scheme(session))
    labels: dict[str, set[int]] = defaultdict(set)
    for item_id, facet, value in session.execute(
        select(ContentLabel.item_id, ContentLabel.facet, ContentLabel.value)
    ):
        number = snapshot.label_numbers.setdefault((facet, value), len(snapshot.labels))
        if number == len(snapshot.labels):
            snapshot.labels.append((facet, value))
        labels[item_id].add(number)
    titles = _titles(session)
    newest = func.coalesce(ContentItem.published_at, ContentItem.updated_at)
    rows = session.execute(
        select(
            ContentItem.id, ContentItem.status, ContentItem.visibility,
            ContentItem.event_start, ContentItem.event_end,
        ).order_by(newest.desc(), ContentItem.id)
    )  # fmt: skip
    for rank, row in enumerate(rows):
        snapshot.entries.append(
            Entry(
                id=row.id,
                status=row.status,
                visibility=row.visibility,
                event_start=_stamp(row.event_start),
                event_end=_stamp(row.event_end),
                labels=frozenset(labels.get(row.id, ())),
                newest_rank=rank,
                title_rank=titles.get(row.id, {}),
            )
        )
    return snapshot


class SnapshotHolder:
    """Keeps one process's snapshot, rebuilding it when the catalogue's version moved."""

    def __init__(self) -> None:
        self._snapshot = Snapshot(-1)
        self._lock = threading.Lock()

    def current(self, session: Session) -> Snapshot:
        """Return a snapshot at the catalogue's current version."""
        version = state.current_version(session)
        if self._snapshot.version == version:
            return self._snapshot
        with self._lock:
            if self._snapshot.version != version:
                self._snapshot = build(session, version)
        return self._snapshot
