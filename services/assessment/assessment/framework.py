"""The readiness framework as data: areas, indicators, levels, recommendations, use cases.

A framework is versioned content, not code: a Blockchain or Cloud readiness tool is another
framework file. ``parse_framework`` validates a plain document (from YAML or JSON) and returns
immutable objects, or raises ``FrameworkError`` listing every problem with its path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

LANGUAGES = ("en", "fr")
LEVELS = (1, 2, 3, 4, 5)
EFFORTS = {"low": 1.0, "medium": 2.0, "high": 3.0}
HORIZONS = ("0-6", "6-18", "18-36")
KEY = validate.Regexp(r"^[a-z][a-z0-9_.-]{0,63}$", error="use lower-case letters, digits, . _ -")


class FrameworkError(ValueError):
    """A framework document that does not follow the schema; ``errors`` maps paths to messages."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(f"invalid framework: {errors}")
        self.errors = errors


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class TextSchema(_Strict):
    """A text in every working language."""

    en = fields.String(required=True, validate=validate.Length(min=1))
    fr = fields.String(required=True, validate=validate.Length(min=1))


class RecommendationSchema(_Strict):
    """A recommendation that applies while an indicator is at or below ``max_level``."""

    key = fields.String(required=True, validate=KEY)
    max_level = fields.Integer(required=True, validate=validate.Range(1, 4))
    text = fields.Nested(TextSchema, required=True)
    effort = fields.String(required=True, validate=validate.OneOf(list(EFFORTS)))
    horizon = fields.String(required=True, validate=validate.OneOf(HORIZONS))
    tags = fields.List(fields.String(validate=KEY), load_default=list)


class IndicatorSchema(_Strict):
    """One question with five described maturity levels."""

    key = fields.String(required=True, validate=KEY)
    question = fields.Nested(TextSchema, required=True)
    guidance = fields.Nested(TextSchema, required=True)
    levels = fields.Dict(
        keys=fields.Integer(validate=validate.OneOf(LEVELS)),
        values=fields.Nested(TextSchema),
        required=True,
    )
    weight = fields.Float(load_default=1.0, validate=validate.Range(min=0.1, max=10))
    critical = fields.Boolean(load_default=False)
    recommendations = fields.List(fields.Nested(RecommendationSchema), load_default=list)

    @validates_schema
    def _five_levels(self, data: dict[str, Any], **_: Any) -> None:
        if set(data.get("levels", {})) != set(LEVELS):
            raise ValidationError("describe exactly the levels 1 to 5", "levels")


class OriginSchema(_Strict):
    """Where a reused area (module) was first declared: set when a reference is resolved."""

    framework = fields.String(required=True, validate=KEY)
    version = fields.String(required=True)
    area = fields.String(required=True, validate=KEY)


class AreaSchema(_Strict):
    """One of the assessed areas."""

    key = fields.String(required=True, validate=KEY)
    name = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    weight = fields.Float(load_default=1.0, validate=validate.Range(min=0.1, max=10))
    foundation = fields.Boolean(load_default=False)
    indicators = fields.List(
        fields.Nested(IndicatorSchema), required=True, validate=validate.Length(min=1, max=20)
    )
    origin = fields.Nested(OriginSchema, load_default=None)


class UseCaseSchema(_Strict):
    """A typical use case and the minimum level it needs per area."""

    key = fields.String(required=True, validate=KEY)
    name = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    minimum = fields.Dict(
        keys=fields.String(), values=fields.Float(validate=validate.Range(1, 5)), required=True
    )


class LevelNameSchema(_Strict):
    """The name of a maturity level."""

    value = fields.Integer(required=True, validate=validate.OneOf(LEVELS))
    name = fields.Nested(TextSchema, required=True)


class MappingSchema(_Strict):
    """How the indicators of an earlier version map onto this one (for comparisons)."""

    from_version = fields.String(required=True)
    indicators = fields.Dict(
        keys=fields.String(), values=fields.String(allow_none=True), load_default=dict
    )


class FrameworkSchema(_Strict):
    """A whole framework version."""

    key = fields.String(required=True, validate=KEY)
    version = fields.String(required=True, validate=validate.Regexp(r"^\d+(\.\d+){0,2}$"))
    title = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    levels = fields.List(
        fields.Nested(LevelNameSchema),
        required=True,
        validate=validate.Length(equal=5, error="name exactly five levels, 1 to 5"),
    )
    areas = fields.List(fields.Nested(AreaSchema), required=True, validate=validate.Length(min=1))
    use_cases = fields.List(fields.Nested(UseCaseSchema), load_default=list)
    mappings = fields.List(fields.Nested(MappingSchema), load_default=list)

    @validates_schema
    def _references(self, data: dict[str, Any], **_: Any) -> None:
        areas = [a["key"] for a in data.get("areas", [])]
        indicators = [i["key"] for a in data.get("areas", []) for i in a["indicators"]]
        problems: dict[str, list[str]] = {}
        values = sorted(lv["value"] for lv in data.get("levels", []))
        if len(values) == len(LEVELS) and values != list(LEVELS):
            problems.setdefault("levels", []).append("name exactly five levels, 1 to 5")
        for label, keys in (("areas", areas), ("indicators", indicators)):
            duplicates = sorted({k for k in keys if keys.count(k) > 1})
            if duplicates:
                problems.setdefault(label, []).append(f"duplicate keys: {', '.join(duplicates)}")
        for case in data.get("use_cases", []):
            unknown = sorted(set(case["minimum"]) - set(areas))
            if unknown:
                problems.setdefault("use_cases", []).append(
                    f"{case['key']}: unknown areas {', '.join(unknown)}"
                )
        for mapping in data.get("mappings", []):
            targets = {v for v in mapping["indicators"].values() if v is not None}
            unknown = sorted(targets - set(indicators))
            if unknown:
                problems.setdefault("mappings", []).append(
                    f"from {mapping['from_version']}: unknown indicators {', '.join(unknown)}"
                )
        if problems:
            raise ValidationError(problems)


@dataclass(frozen=True)
class Recommendation:
    """A recommendation held in the framework."""

    key: str
    max_level: int
    text: dict[str, str]
    effort: str
    horizon: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Indicator:
    """An indicator (question) of an area."""

    key: str
    area: str
    question: dict[str, str]
    guidance: dict[str, str]
    levels: dict[int, dict[str, str]]
    weight: float
    critical: bool
    recommendations: tuple[Recommendation, ...]

    def recommendation_for(self, level: int) -> Recommendation | None:
        """Return the most specific recommendation for an indicator answered at ``level``."""
        applicable = [r for r in self.recommendations if level <= r.max_level]
        return min(applicable, key=lambda r: r.max_level) if applicable else None


@dataclass(frozen=True)
class Area:
    """An assessed area and its indicators."""

    key: str
    name: dict[str, str]
    description: dict[str, str]
    weight: float
    foundation: bool
    indicators: tuple[Indicator, ...]
    # The module this area is: (framework, version, area) where it was first declared.
    origin: tuple[str, str, str] = ("", "", "")
    # What scoring reads of each indicator, unpacked once: scoring is the hottest loop.
    plan: tuple[tuple[str, float, bool], ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        plan = tuple((i.key, i.weight, i.critical) for i in self.indicators)
        object.__setattr__(self, "plan", plan)


@dataclass(frozen=True)
class UseCase:
    """A typical use case with its minimum level per area."""

    key: str
    name: dict[str, str]
    description: dict[str, str]
    minimum: dict[str, float]


@dataclass(frozen=True)
class Framework:
    """A validated framework version."""

    key: str
    version: str
    title: dict[str, str]
    description: dict[str, str]
    level_names: dict[int, dict[str, str]]
    areas: tuple[Area, ...]
    use_cases: tuple[UseCase, ...]
    mappings: dict[str, dict[str, str | None]]
    document: dict[str, Any] = field(compare=False, repr=False)
    _index: dict[str, Indicator] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({i.key: i for a in self.areas for i in a.indicators})

    def indicator(self, key: str) -> Indicator | None:
        """Return the indicator ``key``, or None."""
        return self._index.get(key)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Return every indicator in framework order."""
        return tuple(i for a in self.areas for i in a.indicators)

    def area(self, key: str) -> Area | None:
        """Return the area ``key``, or None."""
        return next((a for a in self.areas if a.key == key), None)

    def modules(self) -> dict[tuple[str, str, str], Area]:
        """Return the areas by the module they are (shared modules have the same origin)."""
        return {a.origin: a for a in self.areas}


def parse_framework(document: dict[str, Any]) -> Framework:
    """Validate a framework document and return the framework, or raise ``FrameworkError``."""
    unresolved = {
        i: {"reuse": ["reference not resolved: publish the framework it points to first"]}
        for i, a in enumerate(document.get("areas") or ())
        if isinstance(a, dict) and "reuse" in a
    }
    if unresolved:
        raise FrameworkError({"areas": unresolved})
    try:
        data = FrameworkSchema().load(document)
    except ValidationError as exc:
        raise FrameworkError(exc.normalized_messages()) from exc
    areas = tuple(_area(a, data["key"], data["version"]) for a in data["areas"])
    return Framework(
        key=data["key"],
        version=data["version"],
        title=data["title"],
        description=data["description"],
        level_names={lv["value"]: lv["name"] for lv in data["levels"]},
        areas=areas,
        use_cases=tuple(
            UseCase(
                key=u["key"],
                name=u["name"],
                description=u["description"],
                minimum=dict(u["minimum"]),
            )
            for u in data["use_cases"]
        ),
        mappings={m["from_version"]: dict(m["indicators"]) for m in data["mappings"]},
        document=document,
    )


def _area(data: dict[str, Any], framework: str, version: str) -> Area:
    origin = data["origin"] or {"framework": framework, "version": version, "area": data["key"]}
    return Area(
        key=data["key"],
        origin=(origin["framework"], origin["version"], origin["area"]),
        name=data["name"],
        description=data["description"],
        weight=data["weight"],
        foundation=data["foundation"],
        indicators=tuple(
            Indicator(
                key=i["key"],
                area=data["key"],
                question=i["question"],
                guidance=i["guidance"],
                levels=dict(i["levels"]),
                weight=i["weight"],
                critical=i["critical"],
                recommendations=tuple(
                    Recommendation(
                        key=r["key"],
                        max_level=r["max_level"],
                        text=r["text"],
                        effort=r["effort"],
                        horizon=r["horizon"],
                        tags=tuple(r["tags"]),
                    )
                    for r in i["recommendations"]
                ),
            )
            for i in data["indicators"]
        ),
    )
