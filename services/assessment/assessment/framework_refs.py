"""Modules reused by reference: an area declared once in one framework, used by another.

A framework's ``areas`` list may hold a reference instead of an area::

    - reuse: ai-ml-readiness@1.0/strategy          # <framework>@<version>/<area>
      indicators: [strategy.evidence, strategy.alignment]   # optional: a subset, in this order
      name: {en: ..., fr: ...}                      # optional: the heading in this tool
      description: {en: ..., fr: ...}               # optional
      weight: 1.0                                   # optional: the area's weight in this tool
      foundation: false                             # optional

``resolve`` replaces each reference by the referenced area (questions, levels and
recommendations are never rewritten, so an answer means the same in both tools) and marks it
with its ``origin``: the framework, version and area where the module was first declared. Two
areas with the same origin are the same module, which is what lets answers be pre-filled from
one tool into the other. Pure: the caller supplies the already resolved documents to look in.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any

from assessment.framework import FrameworkError

REFERENCE = re.compile(
    r"^(?P<framework>[a-z][a-z0-9_.-]{0,63})@(?P<version>\d+(?:\.\d+){0,2})/(?P<area>[a-z][a-z0-9_.-]{0,63})$"
)
OVERRIDABLE = ("name", "description", "weight", "foundation")
ALLOWED = {"reuse", "indicators", *OVERRIDABLE}

Lookup = Callable[[str, str], Mapping[str, Any] | None]


def reference_of(area: Any) -> str | None:
    """Return the ``reuse`` reference of an ``areas`` entry, or None for a plain area."""
    if isinstance(area, Mapping) and "reuse" in area:
        return str(area["reuse"])
    return None


def references(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return the (framework, version) pairs a document's references point to."""
    found = []
    for area in document.get("areas") or ():
        match = REFERENCE.match(reference_of(area) or "")
        if match:
            found.append((match["framework"], match["version"]))
    return found


def origin_of(document: Mapping[str, Any], area: Mapping[str, Any]) -> dict[str, str]:
    """Return where an area of a resolved document was first declared."""
    origin = area.get("origin")
    if isinstance(origin, Mapping):
        return {k: str(origin[k]) for k in ("framework", "version", "area")}
    return {
        "framework": str(document.get("key")),
        "version": str(document.get("version")),
        "area": str(area.get("key")),
    }


class UnresolvedReferences(FrameworkError):
    """References that do not resolve; ``partial`` is the document with each left as None, so
    the rest of it can still be checked and every problem reported at once."""

    def __init__(self, errors: dict[str, Any], partial: dict[str, Any]) -> None:
        super().__init__(errors)
        self.partial = partial


def resolve(document: Mapping[str, Any], lookup: Lookup) -> dict[str, Any]:
    """Return ``document`` with every reference replaced, or raise ``UnresolvedReferences``."""
    resolved = dict(document)
    areas: list[Any] = []
    problems: dict[int, Any] = {}
    for position, area in enumerate(document.get("areas") or ()):
        if reference_of(area) is None:
            areas.append(area)
            continue
        try:
            areas.append(_resolve_one(document, area, lookup))
        except _Problem as exc:
            problems[position] = {"reuse": [str(exc)]}
            areas.append(None)
    resolved["areas"] = areas
    if problems:
        raise UnresolvedReferences({"areas": problems}, resolved)
    return resolved


class _Problem(Exception):
    pass


def _resolve_one(
    document: Mapping[str, Any], entry: Mapping[str, Any], lookup: Lookup
) -> dict[str, Any]:
    reference = str(entry["reuse"])
    unknown = sorted(set(entry) - ALLOWED)
    if unknown:
        raise _Problem(f"{reference}: unknown fields {', '.join(unknown)}")
    match = REFERENCE.match(reference)
    if match is None:
        raise _Problem(f"malformed reference {reference!r}: write <framework>@<version>/<area>")
    framework, version, key = match["framework"], match["version"], match["area"]
    if (framework, version) == (document.get("key"), document.get("version")):
        raise _Problem(f"{reference}: a framework cannot reuse its own area")
    source = lookup(framework, version)
    if source is None:
        raise _Problem(f"unknown reference {reference}: no framework {framework} {version}")
    area = next((a for a in source.get("areas") or () if a.get("key") == key), None)
    if area is None:
        raise _Problem(f"unknown reference {reference}: {framework} {version} has no area {key}")
    reused = copy.deepcopy(dict(area))
    reused["origin"] = origin_of(source, area)
    if "indicators" in entry:
        reused["indicators"] = _subset(reference, area, entry["indicators"])
    for name in OVERRIDABLE:
        if name in entry:
            reused[name] = copy.deepcopy(entry[name])
    return reused


def _subset(reference: str, area: Mapping[str, Any], wanted: Any) -> list[Any]:
    if not isinstance(wanted, list) or not wanted:
        raise _Problem(f"{reference}: indicators must be a non-empty list of indicator keys")
    by_key = {i.get("key"): i for i in area.get("indicators") or ()}
    unknown = [str(k) for k in wanted if k not in by_key]
    if unknown:
        raise _Problem(f"{reference}: the module has no indicators {', '.join(unknown)}")
    return [copy.deepcopy(by_key[k]) for k in wanted]


def resolution_order(
    documents: Mapping[tuple[str, str], Mapping[str, Any]],
) -> list[tuple[str, str]]:
    """Return the documents' ids with every referenced one before those that reuse it.

    A cycle (A reuses B, B reuses A) raises ``FrameworkError``; a reference to a document not
    in ``documents`` is left for ``resolve`` to report (it may be published elsewhere).
    """
    order: list[tuple[str, str]] = []
    state: dict[tuple[str, str], str] = {}

    def visit(node: tuple[str, str], path: list[tuple[str, str]]) -> None:
        if state.get(node) == "done":
            return
        if state.get(node) == "visiting":
            cycle = " -> ".join(f"{k}@{v}" for k, v in [*path, node])
            raise FrameworkError({f"{node[0]}/{node[1]}": [f"reference cycle: {cycle}"]})
        state[node] = "visiting"
        for target in references(documents[node]):
            if target in documents:
                visit(target, [*path, node])
        state[node] = "done"
        order.append(node)

    for node in sorted(documents):
        visit(node, [])
    return order
