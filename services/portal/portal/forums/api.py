"""HTTP API of the discussion forums (``/api/v1/portal/forums``), for signed-in members only:
thin views over ``forums.threads`` and ``forums.posts``."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from portal.forums import categories, members, moderation, posts, threads
from portal.forums import schemas as s
from shared.auth import Role, current_principal, require
from shared.paging import PAGE_HEADERS, PageQuerySchema, paged

blp = Blueprint(
    "forums",
    __name__,
    url_prefix="/api/v1/portal/forums",
    description="Discussion forums (signed-in members only)",
)
MEMBERS = (Role.COORDINATOR, Role.RESPONDENT, Role.MEMBER, Role.EDITOR, Role.OPERATOR)
EDITORS = (Role.EDITOR,)
PAGING = ("page", "page_size")


def _db() -> Any:
    return current_app.extensions["db"]


def _limiter() -> Any:
    return current_app.extensions["portal.forum_posts"]


@blp.route("/categories")
class Categories(MethodView):
    """The forum categories."""

    @require(*MEMBERS)
    @blp.response(200, s.CategorySchema(many=True))
    def get(self) -> Any:
        """List the categories: technologies, then cross-cutting topics."""
        with _db().session() as session:
            return categories.list_categories(session=session, principal=current_principal())

    @require(*EDITORS)
    @blp.arguments(s.CategoryInSchema)
    @blp.response(201, s.CategorySchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a category (editors)."""
        with _db().session(write=True) as session:
            return categories.add_category(
                session=session, principal=current_principal(), fields=data
            )


@blp.route("/categories/<category_key>")
class Category(MethodView):
    """One forum category."""

    @require(*EDITORS)
    @blp.arguments(s.CategoryUpdateSchema)
    @blp.response(200, s.CategorySchema)
    def patch(self, data: dict[str, Any], category_key: str) -> Any:
        """Rename, reclassify or reorder a category (editors)."""
        with _db().session(write=True) as session:
            return categories.change_category(
                session=session, principal=current_principal(), key=category_key, changes=data
            )


@blp.route("/members")
class Members(MethodView):
    """The forum members one may mention."""

    @require(*MEMBERS)
    @blp.arguments(s.MemberQuerySchema, location="query")
    @blp.response(200, s.MemberSchema(many=True))
    def get(self, query: dict[str, Any]) -> Any:
        """Find up to 10 active forum members by the start of their name, accents aside."""
        with _db().session() as session:
            return members.find_members(
                session=session, principal=current_principal(), query=query["q"]
            )


@blp.route("/threads")
class Threads(MethodView):
    """The threads."""

    @require(*MEMBERS)
    @blp.arguments(s.ThreadQuerySchema, location="query")
    @blp.response(200, s.ThreadSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """List threads, the most recently active first, by category and language."""
        paging = {key: query[key] for key in PAGING}
        filters = {key: value for key, value in query.items() if key not in PAGING}
        with _db().session() as session:
            rows, total = threads.list_threads(
                session=session, principal=current_principal(), filters=filters, **paging
            )
        return paged(rows, total=total, query=paging)

    @require(*MEMBERS)
    @blp.arguments(s.ThreadInSchema)
    @blp.response(201, s.ThreadPageSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Open a thread in a category with its first post."""
        with _db().session(write=True) as session:
            return threads.start_thread(
                session=session, principal=current_principal(), fields=data, limiter=_limiter()
            )


@blp.route("/threads/<thread_id>")
class Thread(MethodView):
    """One thread."""

    @require(*MEMBERS)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, s.ThreadPageSchema, headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any], thread_id: str) -> Any:
        """Read a thread with one page of its posts in order (hidden ones for editors only)."""
        with _db().session() as session:
            found = threads.get_thread(
                session=session, principal=current_principal(), thread_id=thread_id, **query
            )
        _, status, headers = paged(found["posts"], total=found["total"], query=query)
        return found, status, headers


@blp.route("/threads/<thread_id>/posts")
class Replies(MethodView):
    """The posts of a thread."""

    @require(*MEMBERS)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, s.PostSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any], thread_id: str) -> Any:
        """List a thread's posts in order, one page at a time (hidden ones for editors only)."""
        with _db().session() as session:
            rows, total = threads.list_posts(
                session=session, principal=current_principal(), thread_id=thread_id, **query
            )
        return paged(rows, total=total, query=query)

    @require(*MEMBERS)
    @blp.arguments(s.ReplyInSchema)
    @blp.response(201, s.PostSchema)
    def post(self, data: dict[str, Any], thread_id: str) -> Any:
        """Reply to a thread that is not locked, optionally quoting one of its posts."""
        with _db().session(write=True) as session:
            return posts.reply(
                session=session,
                principal=current_principal(),
                thread_id=thread_id,
                limiter=_limiter(),
                **data,
            )


@blp.route("/posts/<post_id>")
class Post(MethodView):
    """One post."""

    @require(*MEMBERS)
    @blp.arguments(s.PostEditSchema)
    @blp.response(200, s.PostSchema)
    def patch(self, data: dict[str, Any], post_id: str) -> Any:
        """Edit one's own post within the edit window (it then shows as edited)."""
        with _db().session(write=True) as session:
            return posts.edit_post(
                session=session,
                principal=current_principal(),
                post_id=post_id,
                body=data["body"],
                window_s=current_app.config["PORTAL_FORUM_EDIT_WINDOW_S"],
            )


@blp.route("/threads/<thread_id>/moderation")
class ThreadModeration(MethodView):
    """Editors' acts on a thread."""

    @require(*EDITORS)
    @blp.arguments(s.ThreadModerationSchema)
    @blp.response(200, s.ThreadSchema)
    def post(self, data: dict[str, Any], thread_id: str) -> Any:
        """Hide, unhide, lock, unlock or move a thread (logged)."""
        with _db().session(write=True) as session:
            return moderation.moderate_thread(
                session=session, principal=current_principal(), thread_id=thread_id, **data
            )


@blp.route("/posts/<post_id>/moderation")
class PostModeration(MethodView):
    """Editors' acts on a post."""

    @require(*EDITORS)
    @blp.arguments(s.PostModerationSchema)
    @blp.response(200, s.PostSchema)
    def post(self, data: dict[str, Any], post_id: str) -> Any:
        """Hide or unhide a post (logged)."""
        with _db().session(write=True) as session:
            return moderation.moderate_post(
                session=session, principal=current_principal(), post_id=post_id, **data
            )


@blp.route("/posts/<post_id>/reports")
class PostReports(MethodView):
    """Members' reports of a post."""

    @require(*MEMBERS)
    @blp.arguments(s.ReportInSchema)
    @blp.response(201, s.ReportCreatedSchema)
    def post(self, data: dict[str, Any], post_id: str) -> Any:
        """Report a post to the editors (once per member)."""
        with _db().session(write=True) as session:
            return moderation.report_post(
                session=session, principal=current_principal(), post_id=post_id, **data
            )


@blp.route("/reports")
class Reports(MethodView):
    """The reported posts."""

    @require(*EDITORS)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, s.ReportSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """List the reports, the latest first (editors)."""
        with _db().session() as session:
            rows, total = moderation.list_reports(
                session=session, principal=current_principal(), **query
            )
        return paged(rows, total=total, query=query)


@blp.route("/moderation-log")
class ModerationLog(MethodView):
    """The moderation log."""

    @require(*EDITORS)
    @blp.arguments(s.LogQuerySchema, location="query")
    @blp.response(200, s.ModerationSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """Read the moderation log, the latest first, optionally of one post or thread."""
        paging = {key: query[key] for key in PAGING}
        with _db().session() as session:
            rows, total = moderation.moderation_log(
                session=session,
                principal=current_principal(),
                target_id=query.get("target_id"),
                **paging,
            )
        return paged(rows, total=total, query=paging)
