"""Request and response schemas of the catalogue API."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from portal.catalogue import vocabulary
from portal.catalogue.listing import MAX_PAGE_SIZE, SORTS
from shared.text import MULTILINE, SINGLE_LINE_PATTERN, InputSchema
from shared.timestamps import Timestamp

MAX_FIELD_BYTES = 100_000  # per Markdown field (the whole request is limited to 1 MiB)
LANGUAGE = validate.OneOf(list(vocabulary.LANGUAGES))
SLUG = validate.Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", error="lowercase words joined by -")
CODE = fields.String(validate=validate.Length(min=1, max=60))
# One pattern for the check and the OpenAPI document, so both mean the same characters: no
# control or space character (of Python's or ECMAScript's, which differ), http(s) or a path.
_URL_CHAR = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
SAFE_URL_PATTERN = rf"^([Hh][Tt][Tt][Pp][Ss]?://{_URL_CHAR}+|/(?![/\\]){_URL_CHAR}*)$"
_SAFE_URL = re.compile(SAFE_URL_PATTERN)


class MaxBytes(validate.Validator):
    """At most ``limit`` bytes once encoded as UTF-8."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: str) -> str:
        if len(value.encode("utf-8")) > self.limit:
            raise ValidationError(f"longer than {self.limit // 1000} kB")
        return value


SAFE_URL_DOC = {"pattern": SAFE_URL_PATTERN}


def by_language(schema: str | dict[str, Any], *, required: bool = False) -> dict[str, Any]:
    """Return the OpenAPI form of a dict keyed by language (``en``, ``fr``) of ``schema``."""
    entry = {"$ref": f"#/components/schemas/{schema}"} if isinstance(schema, str) else schema
    languages = list(vocabulary.LANGUAGES)
    return {
        "type": "object",
        "properties": {language: entry for language in languages},
        "additionalProperties": False,
        **({"required": languages} if required else {"minProperties": 1}),
    }


def safe_url(value: str) -> None:
    """Accept http(s) URLs and paths of this site only (no javascript:, data:, //host)."""
    if not _SAFE_URL.fullmatch(value):
        raise ValidationError("an http(s) URL or a path starting with /")


def _markdown(**kwargs: Any) -> fields.String:
    metadata = {MULTILINE: True, **kwargs.pop("metadata", {})}
    return fields.String(validate=MaxBytes(MAX_FIELD_BYTES), metadata=metadata, **kwargs)


def _date(**kwargs: Any) -> Timestamp:
    return Timestamp(allow_none=True, **kwargs)


class TranslationSchema(InputSchema):
    """One language version: plain-text title and summary, Markdown body and sections."""

    title = fields.String(validate=validate.Length(min=1, max=300))
    summary = fields.String(validate=validate.Length(max=2000), metadata={MULTILINE: True})
    body = _markdown()
    problem = _markdown(metadata={"description": "Case studies: the problem addressed"})
    technology = _markdown(metadata={"description": "Case studies: the technology used"})
    results = _markdown(metadata={"description": "Case studies: the results"})
    lessons = _markdown(metadata={"description": "Case studies: the lessons learned"})


class NewTranslationSchema(TranslationSchema):
    """A language version given in full (creation): a title is needed."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=300))


class LinkSchema(InputSchema):
    """A link or attachment, optionally for one language."""

    kind = fields.String(load_default="link", validate=validate.OneOf(["link", "attachment"]))
    url = fields.String(
        required=True, validate=[validate.Length(max=1000), safe_url], metadata=SAFE_URL_DOC
    )
    label = fields.String(required=True, validate=validate.Length(min=1, max=300))
    language = fields.String(load_default=None, allow_none=True, validate=LANGUAGE)


def _tags(scheme: str) -> fields.Field[Any]:
    return fields.List(
        CODE,
        validate=validate.Length(max=30),
        metadata={"description": f"Codes of the {scheme} vocabulary"},
    )


class _ItemFields(InputSchema):
    subtype = fields.String(allow_none=True, validate=validate.Length(max=40))
    visibility = fields.String(validate=validate.OneOf(list(vocabulary.VISIBILITIES)))
    featured = fields.Boolean(metadata={"description": "Shown on the home page once published"})
    region = fields.String(allow_none=True, validate=validate.Length(max=60))
    technologies = _tags("technology")
    domains = _tags("domain")
    topics = _tags("topic")
    slug = fields.String(validate=[validate.Length(min=1, max=120), SLUG])
    administration_name = fields.String(allow_none=True, validate=validate.Length(max=200))
    launch_url = fields.String(
        allow_none=True, validate=[validate.Length(max=1000), safe_url], metadata=SAFE_URL_DOC
    )
    published_at = _date()
    event_start = _date()
    event_end = _date()
    links = fields.List(fields.Nested(LinkSchema), validate=validate.Length(max=50))


class ItemCreateSchema(_ItemFields):
    """A new item (a draft): at least one language version."""

    kind = fields.String(required=True, validate=validate.OneOf(list(vocabulary.KINDS)))
    translations = fields.Dict(
        keys=fields.String(validate=LANGUAGE),
        values=fields.Nested(NewTranslationSchema),
        required=True,
        validate=validate.Length(min=1),
        metadata=by_language("NewTranslation"),
    )


class ItemUpdateSchema(_ItemFields):
    """Changes to an item: only the fields sent change; a language set to null is removed."""

    kind = fields.String(validate=validate.OneOf(list(vocabulary.KINDS)))
    translations = fields.Dict(
        keys=fields.String(validate=LANGUAGE),
        values=fields.Nested(TranslationSchema, allow_none=True),
        metadata={**by_language("Translation"), "minProperties": 0},
    )
    version = fields.Integer(
        metadata={"description": "The version you edited: 409 if the item changed since"}
    )


class ProposalSchema(InputSchema):
    """A case study proposed by a member administration (reviewed by the editors)."""

    translations = fields.Dict(
        keys=fields.String(validate=LANGUAGE),
        values=fields.Nested(NewTranslationSchema),
        required=True,
        validate=validate.Length(min=1),
        metadata=by_language("NewTranslation"),
    )
    administration_name = fields.String(allow_none=True, validate=validate.Length(max=200))
    region = fields.String(allow_none=True, validate=validate.Length(max=60))
    technologies = _tags("technology")
    domains = _tags("domain")
    topics = _tags("topic")
    links = fields.List(fields.Nested(LinkSchema), validate=validate.Length(max=10))
    visibility = fields.String(validate=validate.OneOf(list(vocabulary.VISIBILITIES)))


class TransitionSchema(InputSchema):
    """An optional note recorded in the item's history."""

    note = fields.String(
        load_default="", validate=validate.Length(max=2000), metadata={MULTILINE: True}
    )


def _multi(description: str) -> fields.Field[Any]:
    return fields.List(CODE, load_default=list, metadata={"description": description})


class SearchQuerySchema(InputSchema):
    """Search and filters of the catalogue (repeat a filter to OR its values)."""

    q = fields.String(load_default="", validate=validate.Length(max=500))
    kind = _multi("resource, case_study, tool, news, event")
    technology = _multi("technology codes")
    domain = _multi("customs domain codes")
    topic = _multi("topic codes (the readiness framework's tags)")
    region = _multi("region codes")
    language = fields.List(fields.String(validate=LANGUAGE), load_default=list)
    status = fields.List(
        fields.String(validate=validate.OneOf(list(vocabulary.STATUSES))),
        load_default=list,
        metadata={"description": "Editors only"},
    )
    upcoming = fields.Boolean(load_default=False, metadata={"description": "Events to come"})
    sort = fields.String(load_default="", validate=validate.OneOf(["", *SORTS]))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))
    lang = fields.String(metadata={"description": "Language of the texts (en, fr)"})


class TermCreateSchema(InputSchema):
    """A new vocabulary term."""

    code = fields.String(required=True, validate=[validate.Length(min=1, max=60), SLUG])
    labels = fields.Dict(
        keys=fields.String(validate=LANGUAGE),
        values=fields.String(validate=validate.Length(min=1, max=200)),
        required=True,
        metadata=by_language(
            {"type": "string", "minLength": 1, "maxLength": 200, "pattern": SINGLE_LINE_PATTERN},
            required=True,
        ),
    )

    @validates_schema
    def _both_languages(self, data: dict[str, Any], **_: Any) -> None:
        missing = [lang for lang in vocabulary.LANGUAGES if not data.get("labels", {}).get(lang)]
        if missing:
            raise ValidationError({"labels": [f"missing: {', '.join(missing)}"]})


# -- responses (documentation; the API writes the documents itself) ----------------------------
class TermSchema(Schema):
    """A vocabulary term."""

    code = fields.String()
    label = fields.String()
    labels = fields.Dict(keys=fields.String(), values=fields.String())


class TermRefSchema(Schema):
    """A term as items show it: its code and its label in the language served."""

    code = fields.String()
    label = fields.String()


class ItemSchema(Schema):
    """An item in one language (``language``); bodies are sanitized HTML."""

    id = fields.String()
    slug = fields.String()
    url = fields.String(metadata={"description": "Its page on the portal"})
    kind = fields.String()
    kind_label = fields.String()
    subtype = fields.String(allow_none=True)
    visibility = fields.String()
    featured = fields.Boolean()
    language = fields.String(metadata={"description": "The language served"})
    languages = fields.List(fields.String(), metadata={"description": "Languages it exists in"})
    title = fields.String()
    summary = fields.String()
    body_html = fields.String()
    case_study = fields.Dict()
    technologies = fields.List(fields.Nested(TermRefSchema))
    domains = fields.List(fields.Nested(TermRefSchema))
    topics = fields.List(fields.Nested(TermRefSchema))
    region = fields.Nested(TermRefSchema, allow_none=True)
    links = fields.List(fields.Nested(LinkSchema))
    launch_url = fields.String(allow_none=True)
    published_at = fields.String(allow_none=True)
    event_start = fields.String(allow_none=True)
    event_end = fields.String(allow_none=True)
    updated_at = fields.String()
    version = fields.Integer()
    score = fields.Float(metadata={"description": "Search results: relevance to the query"})
    status = fields.String(metadata={"description": "Editors only"})
    translations = fields.Dict(metadata={"description": "Editors only: raw texts by language"})
    contributors = fields.List(
        fields.String(), metadata={"description": "Editors only: who edited since publication"}
    )
    created_by = fields.String(metadata={"description": "Editors only"})
    created_at = fields.String(metadata={"description": "Editors only"})
    updated_by = fields.String(metadata={"description": "Editors only"})
    all_links = fields.List(
        fields.Nested(LinkSchema), metadata={"description": "Editors only: links in every language"}
    )


class FacetValueSchema(Schema):
    """One value of a facet and how many results have it."""

    value = fields.String()
    label = fields.String()
    count = fields.Integer()


class SearchResultSchema(Schema):
    """A page of results with the facet counts of the whole result set."""

    items = fields.List(fields.Nested(ItemSchema))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
    pages = fields.Integer()
    query = fields.Dict()
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)))


class RevisionSchema(Schema):
    """One entry of an item's history."""

    version = fields.Integer()
    action = fields.String()
    actor = fields.String()
    actor_name = fields.String()
    at = fields.String()
    changes = fields.Dict(metadata={"description": "field -> {from, to}"})
