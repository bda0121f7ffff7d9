"""The catalogue's HTML forms: what the pages post, turned into the API's request shapes.

Forms go through the same marshmallow schemas as the API afterwards, so a page accepts exactly
what the API accepts and refuses the rest with the same field errors.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from portal.catalogue.reading import SECTIONS
from shared.auth import Principal, optional_principal
from shared.errors import ApiError
from shared.messages import translate_errors

LANGUAGES = ("en", "fr")
TEXT_FIELDS = ("title", "summary", "body", *SECTIONS)
TAG_FIELDS = {"technologies": "technology", "domains": "domain", "topics": "topic"}
OPTIONAL_TEXT = ("subtype", "region", "administration_name", "launch_url")


def caller() -> Principal | None:
    """Return the signed-in reader, if any (pages read the session cookie)."""
    return optional_principal()


def _translations(form: MultiDict[str, str], fields: tuple[str, ...]) -> dict[str, Any]:
    """Return each language's texts; a language whose fields are all empty is left out."""
    found: dict[str, Any] = {}
    for language in LANGUAGES:
        texts = {name: form.get(f"{language}.{name}", "").strip() for name in fields}
        if any(texts.values()):
            found[language] = {name: value for name, value in texts.items() if value}
    return found


def _links(form: MultiDict[str, str]) -> list[dict[str, Any]]:
    """Return the links of the form's text: ``label | address [| en|fr] [| attachment]``."""
    links: list[dict[str, Any]] = []
    for line in form.get("links", "").splitlines():
        parts = [part.strip() for part in line.split("|")]
        if not any(parts):
            continue
        label, url = (parts[0], parts[1]) if len(parts) > 1 else (parts[0], parts[0])
        link: dict[str, Any] = {"label": label, "url": url}
        for extra in parts[2:]:
            if extra in LANGUAGES:
                link["language"] = extra
            elif extra == "attachment":
                link["kind"] = "attachment"
        links.append(link)
    return links


def links_text(links: list[dict[str, Any]]) -> str:
    """Return links as the form's text (the inverse of what the form posts)."""
    lines = []
    for link in links:
        parts = [link["label"], link["url"]]
        if link.get("language"):
            parts.append(link["language"])
        if link.get("kind") == "attachment":
            parts.append("attachment")
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def item_form(view: dict[str, Any]) -> MultiDict[str, str]:
    """Return an item's editor view as the values of the editor's form."""
    pairs: list[tuple[str, str]] = [
        ("kind", view["kind"]),
        ("visibility", view["visibility"]),
        ("subtype", view.get("subtype") or ""),
        ("region", view["region"]["code"] if view.get("region") else ""),
        ("slug", view["slug"]),
        ("administration_name", (view.get("case_study") or {}).get("administration") or ""),
        ("launch_url", view.get("launch_url") or ""),
        ("event_start", (view.get("event_start") or "")[:10]),
        ("event_end", (view.get("event_end") or "")[:10]),
        ("version", str(view["version"])),
        ("links", links_text(view.get("all_links", []))),
    ]
    if view.get("featured"):
        pairs.append(("featured", "on"))
    for language, texts in view.get("translations", {}).items():
        pairs += [(f"{language}.{name}", texts.get(name) or "") for name in TEXT_FIELDS]
    for name, facet in TAG_FIELDS.items():
        pairs += [(facet, term["code"]) for term in view.get(name, [])]
    return MultiDict(pairs)


def _date(value: str) -> str | None:
    """Return an ``<input type=date>`` value as an aware datetime text (None when empty)."""
    if not value.strip():
        return None
    try:
        day = datetime.strptime(value.strip(), "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return value  # the schema refuses it with its own message
    return day.isoformat()


def item_data(form: MultiDict[str, str], *, existing: set[str] | None = None) -> dict[str, Any]:
    """Return the API body of the editor's item form.

    ``existing``: the languages the item has; one whose fields were all emptied is removed.
    """
    data: dict[str, Any] = {
        "kind": form.get("kind", ""),
        "visibility": form.get("visibility", "public"),
        "featured": form.get("featured") == "on",
        "translations": _translations(form, TEXT_FIELDS),
        "links": _links(form),
        "event_start": _date(form.get("event_start", "")),
        "event_end": _date(form.get("event_end", "")),
    }
    for name in OPTIONAL_TEXT:
        data[name] = form.get(name, "").strip() or None
    for name, facet in TAG_FIELDS.items():
        data[name] = form.getlist(facet)
    if form.get("slug", "").strip():
        data["slug"] = form["slug"].strip()
    for language in existing or set():
        data["translations"].setdefault(language, None)
    if form.get("version", "").isdigit():
        data["version"] = int(form["version"])
    return data


def proposal_data(form: MultiDict[str, str]) -> dict[str, Any]:
    """Return the API body of the case-study proposal form."""
    data: dict[str, Any] = {
        "translations": _translations(form, TEXT_FIELDS),
        "links": _links(form),
        "administration_name": form.get("administration_name", "").strip() or None,
        "region": form.get("region", "").strip() or None,
    }
    for name, facet in TAG_FIELDS.items():
        data[name] = form.getlist(facet)
    return data


def form_errors(error: ValidationError | ApiError, language: str) -> dict[str, Any]:
    """Return field -> messages of a refused form in ``language`` (``_form``: no one field)."""
    if isinstance(error, ValidationError):
        messages = error.messages
        found = dict(messages) if isinstance(messages, dict) else {"_form": list(messages)}
    else:
        found = dict(error.errors or {})
    return dict(translate_errors(found, language))


def flat_errors(errors: dict[str, Any], prefix: str = "") -> dict[str, list[str]]:
    """Return nested field errors as ``a.b`` -> messages, for showing beside form fields."""
    flat: dict[str, list[str]] = {}
    for name, value in errors.items():
        if name == "value" and isinstance(value, dict):  # marshmallow's Dict: key -> "value"
            flat.update(flat_errors(value, prefix))
            continue
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(flat_errors(value, f"{key}."))
        else:
            flat[key] = [str(v) for v in (value if isinstance(value, list) else [value])]
    return flat
