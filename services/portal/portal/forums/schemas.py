"""Request and response schemas of the discussion forums."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from portal.forums.models import ACTIONS, KINDS, LANGUAGES, TARGETS
from portal.forums.moderation import POST_ACTIONS, THREAD_ACTIONS
from shared.paging import PageQuerySchema
from shared.text import MULTILINE, InputSchema
from shared.timestamps import Timestamp

MAX_BODY = 20_000
ID = validate.Length(min=1, max=36)
MAX_MENTIONS = 10


def _body(**kwargs: Any) -> fields.String:
    return fields.String(
        validate=validate.Length(min=1, max=MAX_BODY),
        metadata={MULTILINE: True, "description": "Markdown (sanitized as catalogue items are)"},
        **kwargs,
    )


class CategorySchema(Schema):
    """A forum category."""

    key = fields.String()
    name_en = fields.String()
    name_fr = fields.String()
    kind = fields.String(metadata={"enum": list(KINDS)})
    position = fields.Integer()


NAME = validate.Length(min=1, max=120)
KIND = validate.OneOf(KINDS)
POSITION = validate.Range(min=0, max=10_000)


class CategoryInSchema(InputSchema):
    """A new category (its key, lower-case letters, digits and hyphens, is for good)."""

    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,39}$"))
    name_en = fields.String(required=True, validate=NAME)
    name_fr = fields.String(required=True, validate=NAME)
    kind = fields.String(required=True, validate=KIND)
    position = fields.Integer(load_default=0, validate=POSITION)


class CategoryUpdateSchema(InputSchema):
    """Changes to a category (only the fields sent)."""

    name_en = fields.String(validate=NAME)
    name_fr = fields.String(validate=NAME)
    kind = fields.String(validate=KIND)
    position = fields.Integer(validate=POSITION)


class ThreadQuerySchema(PageQuerySchema):
    """Filters of the thread list."""

    category = fields.String(validate=validate.Length(min=1, max=40))
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    item_id = fields.String(
        validate=ID, metadata={"description": "Threads discussing this catalogue item"}
    )


class ThreadInSchema(InputSchema):
    """A new thread and its first post."""

    category = fields.String(required=True, validate=validate.Length(min=1, max=40))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    body = _body(required=True)
    item_id = fields.String(
        load_default=None,
        allow_none=True,
        validate=ID,
        metadata={"description": "A published catalogue item the thread discusses"},
    )


class ReplyInSchema(InputSchema):
    """A reply, optionally quoting a post of the same thread."""

    body = _body(required=True)
    quoted_post_id = fields.String(load_default=None, allow_none=True, validate=ID)
    mentions = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        load_default=list,
        validate=validate.Length(max=MAX_MENTIONS),
        metadata={"description": "Ids of members to tell (unique, at most 10)"},
    )


class MemberQuerySchema(InputSchema):
    """The start of a name to look up forum members by."""

    q = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Start of the name or of one of its words (accents aside)"},
    )


class MemberSchema(Schema):
    """A forum member one may mention: no e-mail address, no roles."""

    id = fields.String()
    name = fields.String()
    administration = fields.String(allow_none=True)


class PostEditSchema(InputSchema):
    """The new body of one's own post."""

    body = _body(required=True)


class ThreadSchema(Schema):
    """A thread as members see it in a list."""

    id = fields.String()
    category = fields.String(attribute="category_key")
    title = fields.String()
    language = fields.String()
    author_id = fields.String()
    author_name = fields.String()
    locked = fields.Boolean()
    hidden = fields.Boolean()
    item_id = fields.String(allow_none=True)
    created_at = Timestamp()
    last_post_at = Timestamp()


class MentionSchema(Schema):
    """A member a post mentions, by the name they had then."""

    id = fields.String(attribute="user_id")
    name = fields.String()


class PostSchema(Schema):
    """A post: its Markdown and its sanitized HTML; ``edited`` once its author changed it."""

    id = fields.String()
    thread_id = fields.String()
    author_id = fields.String()
    author_name = fields.String()
    body = fields.String()
    body_html = fields.String()
    quoted_post_id = fields.String(allow_none=True)
    created_at = Timestamp()
    edited_at = Timestamp(allow_none=True)
    edited = fields.Function(lambda post: post.edited_at is not None)
    hidden = fields.Boolean()
    mentions = fields.List(fields.Nested(MentionSchema))


class ThreadPageSchema(Schema):
    """A thread with its posts in order (one page of them through the API)."""

    thread = fields.Nested(ThreadSchema)
    posts = fields.List(fields.Nested(PostSchema))


REASON = fields.String(load_default="", validate=validate.Length(max=500))


class ThreadModerationSchema(InputSchema):
    """An editor's act on a thread (a move names the category it goes to)."""

    action = fields.String(required=True, validate=validate.OneOf(THREAD_ACTIONS))
    category = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=40)
    )
    reason = REASON


class PostModerationSchema(InputSchema):
    """An editor's act on a post."""

    action = fields.String(required=True, validate=validate.OneOf(POST_ACTIONS))
    reason = REASON


class ReportInSchema(InputSchema):
    """A member's report of a post."""

    reason = REASON


class LogQuerySchema(PageQuerySchema):
    """Filters of the moderation log."""

    target_id = fields.String(validate=ID)


class ModerationSchema(Schema):
    """One line of the moderation log."""

    id = fields.String()
    actor_id = fields.String()
    action = fields.String(metadata={"enum": list(ACTIONS)})
    target_kind = fields.String(metadata={"enum": list(TARGETS)})
    target_id = fields.String()
    reason = fields.String()
    detail = fields.String()
    at = Timestamp()


class ReportSchema(Schema):
    """A report of a post, as editors list it."""

    id = fields.String()
    post_id = fields.String()
    thread_id = fields.String()
    reporter_id = fields.String()
    reason = fields.String()
    created_at = Timestamp()
    post_hidden = fields.Boolean()
    post_author_id = fields.String()


class ReportCreatedSchema(Schema):
    """A report just sent."""

    id = fields.String()
    post_id = fields.String()
    reason = fields.String()
    created_at = Timestamp()
