"""Turning a change request into changes of an item: validation, field updates, the diff kept
in the history, and the words indexed beside the texts. No transaction handling: ``items`` runs
these inside its use cases.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.catalogue import vocabulary
from portal.catalogue.search import fold
from portal.models import ContentItem, ContentLabel, ContentLink, ContentTranslation
from shared.errors import ApiError
from shared.timestamps import to_rfc3339

TEXT_FIELDS = ("title", "summary", "body", "problem", "technology", "results", "lessons")
SCALAR_FIELDS = (
    "kind",
    "subtype",
    "visibility",
    "featured",
    "region",
    "administration_name",
    "launch_url",
    "published_at",
    "event_start",
    "event_end",
    "slug",
)
LIST_FACETS = {"technologies": "technology", "domains": "domain", "topics": "topic"}


# -- validation --------------------------------------------------------------------------------
def _check_terms(session: Session, data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, scheme in LIST_FACETS.items():
        unknown = vocabulary.unknown_codes(session, scheme, data.get(field) or [])
        if unknown:
            errors[field] = [f"unknown {scheme} tag: {code}" for code in unknown]
    region = data.get("region")
    if region and vocabulary.unknown_codes(session, "region", [region]):
        errors["region"] = [f"unknown region: {region}"]
    return errors


def _check_shape(item_state: dict[str, Any]) -> dict[str, list[str]]:
    """Check the rules that span fields, on the item as it would be after the change."""
    errors: dict[str, list[str]] = {}
    kind, subtype = item_state["kind"], item_state.get("subtype")
    if subtype and subtype not in vocabulary.SUBTYPES.get(kind, {}):
        allowed = ", ".join(vocabulary.SUBTYPES.get(kind, {})) or "none"
        errors["subtype"] = [f"not a subtype of {kind} (allowed: {allowed})"]
    start, end = item_state.get("event_start"), item_state.get("event_end")
    if kind == "event" and start is None:
        errors["event_start"] = ["an event needs a start date"]
    if start and end and end < start:
        errors["event_end"] = ["the end is before the start"]
    for language in item_state["untitled"]:
        errors[f"translations.{language}.title"] = ["a new language version needs a title"]
    if not item_state["languages"]:
        errors["translations"] = ["at least one language version with a title is needed"]
    return errors


def validate(session: Session, data: dict[str, Any], item_state: dict[str, Any]) -> None:
    errors = {**_check_terms(session, data), **_check_shape(item_state)}
    slug = data.get("slug")
    if slug:
        taken = session.scalars(
            select(ContentItem.id).where(
                ContentItem.slug == slug, ContentItem.id != item_state["id"]
            )
        ).first()
        if taken:
            raise ApiError(409, "slug_taken", errors={"slug": [f"already used: {slug}"]})
    if errors:
        # Its own code: the request is well-formed, but names terms this catalogue lacks or
        # combines fields its kind does not allow (rules the OpenAPI document cannot state).
        raise ApiError(422, "item_rules_failed", errors=errors)


def state_after(item: ContentItem | None, data: dict[str, Any]) -> dict[str, Any]:
    state: dict[str, Any] = {
        field: getattr(item, field) if item else None for field in SCALAR_FIELDS
    }
    state["id"] = item.id if item else ""
    languages = {t.language for t in item.translations} if item else set()
    for language, texts in (data.get("translations") or {}).items():
        if texts is None:
            languages.discard(language)
        elif texts.get("title") or (item and item.translation(language)):
            languages.add(language)
    state.update({k: v for k, v in data.items() if k in SCALAR_FIELDS})
    state["languages"] = languages
    state["untitled"] = [
        language
        for language, texts in (data.get("translations") or {}).items()
        if texts is not None
        and not texts.get("title")
        and not (item and item.translation(language))
    ]
    return state


# -- applying changes --------------------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_rfc3339(value)
    return value


def unique_slug(session: Session, title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:80].strip("-") or "item"
    taken = set(session.scalars(select(ContentItem.slug).where(ContentItem.slug.like(f"{base}%"))))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def apply_scalars(item: ContentItem, data: dict[str, Any], changes: dict[str, Any]) -> None:
    for field in SCALAR_FIELDS:
        if field not in data or (field == "slug" and not data[field]):
            continue
        old, new = getattr(item, field), data[field]
        if old != new:
            setattr(item, field, new)
            changes[field] = {"from": _jsonable(old), "to": _jsonable(new)}


def apply_translations(item: ContentItem, data: dict[str, Any], changes: dict[str, Any]) -> None:
    for language, texts in sorted((data.get("translations") or {}).items()):
        current = item.translation(language)
        if texts is None:
            if current is not None:
                item.translations.remove(current)
                changes[f"translations.{language}"] = {"from": current.title, "to": None}
            continue
        if current is None:
            current = ContentTranslation(language=language, title="")
            item.translations.append(current)
        for field in TEXT_FIELDS:
            if field in texts and (getattr(current, field) or "") != texts[field]:
                changes[f"translations.{language}.{field}"] = {
                    "from": getattr(current, field) or "",
                    "to": texts[field],
                }
                setattr(current, field, texts[field])


def apply_labels(item: ContentItem, data: dict[str, Any], changes: dict[str, Any]) -> None:
    wanted: dict[str, list[str]] = {}
    for field, facet in LIST_FACETS.items():
        current = item.values(facet)
        new = sorted(set(data[field])) if field in data else current
        if new != current:
            changes[field] = {"from": current, "to": new}
        wanted[facet] = new
    wanted["kind"] = [item.kind]
    wanted["region"] = [item.region] if item.region else []
    wanted["language"] = sorted(t.language for t in item.translations)
    pairs = {(facet, value) for facet, values in wanted.items() for value in values}
    for label in list(item.labels):
        if (label.facet, label.value) not in pairs:
            item.labels.remove(label)
    have = {(label.facet, label.value) for label in item.labels}
    for facet, value in sorted(pairs - have):
        item.labels.append(ContentLabel(facet=facet, value=value))


def apply_links(item: ContentItem, data: dict[str, Any], changes: dict[str, Any]) -> None:
    if "links" not in data:
        return
    old = [_link_dict(link) for link in item.links]
    new = [
        {
            "kind": link.get("kind", "link"),
            "url": link["url"],
            "label": link["label"],
            "language": link.get("language"),
        }
        for link in data["links"]
    ]
    if old == new:
        return
    item.links.clear()
    for position, link in enumerate(new):
        item.links.append(ContentLink(position=position, **link))
    changes["links"] = {"from": old, "to": new}


def _link_dict(link: ContentLink) -> dict[str, Any]:
    return {"kind": link.kind, "url": link.url, "label": link.label, "language": link.language}


def keywords(session: Session, item: ContentItem) -> dict[str, str]:
    """Return the labels of the item's terms, in both languages, for each of its versions.

    Both languages go into every version, so a French reader's "chaîne de blocs" finds an item
    that only exists in English but is tagged blockchain.
    """
    labels = vocabulary.labels_by_scheme(session)
    words: list[str] = []
    for label in item.labels:
        term = labels.get(label.facet, {}).get(label.value)
        if term:
            words.extend((term["en"], term["fr"]))
    keywords = " ".join(dict.fromkeys(words))
    return {version.language: keywords for version in item.translations}
