"""Reading the catalogue: an item in the reader's language, and the views lists and pages use.

Every read filters by the reader's ``Audience``; an item the reader may not see answers 404, as
one that does not exist. Texts are served in the language asked for when the item has it, else
in the language it has (``language`` and ``Content-Language`` say which); Markdown is returned
as sanitized HTML.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.catalogue import rendering, vocabulary
from portal.catalogue.audience import Audience
from portal.catalogue.cache import ContentCache, Document
from portal.catalogue.items import PAGE_PREFIX
from portal.models import ContentItem, ContentRevision, ContentTranslation
from shared.db import Database
from shared.errors import NotFound
from shared.i18n import pick
from shared.timestamps import to_rfc3339

Terms = dict[str, dict[str, dict[str, str]]]
SECTIONS = ("problem", "technology", "results", "lessons")


def served_language(item: ContentItem, language: str) -> ContentTranslation:
    """Return the version in ``language``, else English, else the one the item has."""
    return (
        item.translation(language)
        or item.translation("en")
        or item.translation("fr")
        or item.translations[0]
    )


def _terms(codes: list[str], scheme: str, terms: Terms, language: str) -> list[dict[str, str]]:
    known = terms.get(scheme, {})
    return [
        {"code": code, "label": pick(known[code], language) if code in known else code}
        for code in codes
    ]


def _date(value: Any) -> str | None:
    return to_rfc3339(value) if value is not None else None


def summary_view(
    item: ContentItem, language: str, terms: Terms, audience: Audience
) -> dict[str, Any]:
    """Return an item as lists show it, in ``language`` when it has that version."""
    version = served_language(item, language)
    view: dict[str, Any] = {
        "id": item.id,
        "slug": item.slug,
        "url": f"{PAGE_PREFIX}{item.slug}",
        "kind": item.kind,
        "kind_label": vocabulary.label(vocabulary.KINDS[item.kind], language),
        "subtype": item.subtype,
        "visibility": item.visibility,
        "featured": item.featured,
        "language": version.language,
        "languages": [t.language for t in item.translations],
        "title": version.title,
        "summary": version.summary,
        "technologies": _terms(item.values("technology"), "technology", terms, language),
        "domains": _terms(item.values("domain"), "domain", terms, language),
        "topics": _terms(item.values("topic"), "topic", terms, language),
        "region": _terms([item.region], "region", terms, language)[0] if item.region else None,
        "published_at": _date(item.published_at),
        "event_start": _date(item.event_start),
        "event_end": _date(item.event_end),
        "launch_url": item.launch_url,
    }
    if audience.sees_unpublished:
        view.update(status=item.status, version=item.version, updated_at=_date(item.updated_at))
    return view


def item_view(item: ContentItem, language: str, terms: Terms, audience: Audience) -> dict[str, Any]:
    """Return the whole item in ``language`` (with fallback), bodies as sanitized HTML."""
    version = served_language(item, language)
    view = summary_view(item, language, terms, audience)
    view.update(
        body_html=rendering.to_html(version.body),
        links=[
            {"kind": link.kind, "url": link.url, "label": link.label, "language": link.language}
            for link in item.links
            if link.language in (None, version.language)
        ],
        updated_at=_date(item.updated_at),
        version=item.version,
    )
    if item.kind == "case_study":
        view["case_study"] = {
            "administration": item.administration_name,
            **{f"{name}_html": rendering.to_html(getattr(version, name)) for name in SECTIONS},
        }
    if audience.sees_unpublished:
        view.update(
            status=item.status,
            contributors=item.contributors,
            created_by=item.created_by,
            created_at=_date(item.created_at),
            updated_by=item.updated_by,
            all_links=[
                {"kind": link.kind, "url": link.url, "label": link.label, "language": link.language}
                for link in item.links
            ],
            translations={
                t.language: {
                    "title": t.title,
                    "summary": t.summary,
                    "body": t.body,
                    **{name: getattr(t, name) for name in SECTIONS},
                }
                for t in item.translations
            },
        )
    return view


def find_visible(session: Session, audience: Audience, ref: str) -> ContentItem:
    """Return the item with id or slug ``ref`` that ``audience`` may see, else raise 404."""
    query = select(ContentItem).where((ContentItem.id == ref) | (ContentItem.slug == ref))
    item = session.scalars(query).first()
    if item is None or not audience.admits(item.status, item.visibility) or not item.translations:
        raise NotFound()
    return item


def get_item(
    *,
    db: Database,
    audience: Audience,
    ref: str,
    language: str,
    cache: ContentCache | None = None,
) -> Document:
    """Return one item (by id or slug) as ``audience`` may see it, in ``language`` or fallback.

    ``Document.data()`` is the item view; ``Document.language`` the language served.
    """

    def build() -> Document:  # a session only when there is something to read
        with db.session() as session:
            item = find_visible(session, audience, ref)
            terms = vocabulary.labels_by_scheme(session)
            view = item_view(item, language, terms, audience)
        return Document.of(view, view["language"])

    if cache is None:
        return build()
    return cache.fetch("item", audience, language, ref, build)


def featured_items(
    *,
    session: Session,
    audience: Audience,
    language: str,
    cache: ContentCache | None = None,
    limit: int = 4,
) -> Document:
    """Return the published items editors feature that ``audience`` may see, newest first."""

    def build() -> Document:
        query = (
            select(ContentItem)
            .where(
                ContentItem.featured.is_(True),
                ContentItem.status == "published",
                ContentItem.visibility.in_(audience.visibilities),
            )
            .order_by(ContentItem.published_at.desc(), ContentItem.id)
            .limit(limit)
        )
        found = [item for item in session.scalars(query) if item.translations]
        terms = vocabulary.labels_by_scheme(session) if found else {}
        return Document.of(
            [summary_view(item, language, terms, audience) for item in found], language
        )

    if cache is None:
        return build()
    return cache.fetch("featured", audience, language, str(limit), build)


def history_view(revision: ContentRevision) -> dict[str, Any]:
    """Return one history entry."""
    return {
        "version": revision.version,
        "action": revision.action,
        "actor": revision.actor,
        "actor_name": revision.actor_name,
        "at": _date(revision.at),
        "changes": revision.changes,
    }
