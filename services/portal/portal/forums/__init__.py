"""The members' discussion forums: categories (technologies and cross-cutting topics), threads
in English or French, replies quoting one another, edits within a window, and the editors'
moderation.

``init_app`` registers the refusal messages, the API and the members' pages.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from portal.forums import api, page_kit, pages, post_forms, thread_pages
from portal.forums.texts import DOMAIN, MESSAGES, RATE_LIMITED, TITLES
from shared.errors import register_titles
from shared.messages import register_messages
from shared.throttle import WriteLimiter

__all__ = ["init_app"]

# The members' pages: each module puts its routes on the one blueprint, page_kit.bp, when imported.
PAGE_MODULES = (pages, thread_pages, post_forms)


def init_app(app: Flask, rest: Api) -> None:
    """Register the forums' texts, API and pages on the portal app."""
    register_titles(TITLES, domain=DOMAIN)
    # Tighter than every write's limit: a member posts a few messages a minute, not hundreds.
    app.extensions["portal.forum_posts"] = WriteLimiter(
        app.extensions["redis"],
        service="portal:forum-posts",
        limit=app.config["PORTAL_FORUM_POSTS_PER_CALLER"],
        window_s=app.config["PORTAL_FORUM_POSTS_WINDOW_S"],
        detail=RATE_LIMITED,
    )
    register_messages("portal", MESSAGES)
    rest.register_blueprint(api.blp)
    app.register_blueprint(page_kit.bp)
