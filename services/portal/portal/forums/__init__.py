"""The members' discussion forums: categories (technologies and cross-cutting topics), threads
in English or French, replies quoting one another, edits within a window, and the editors'
moderation.

``init_app`` registers the French messages and the API.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from portal.forums import api
from portal.forums.texts import DOMAIN, MESSAGES_FR, TITLES
from shared.errors import register_titles
from shared.messages import register_translations

__all__ = ["init_app"]


def init_app(app: Flask, rest: Api) -> None:
    """Register the forums' texts and API on the portal app."""
    register_titles(TITLES, domain=DOMAIN)
    register_translations(MESSAGES_FR)
    rest.register_blueprint(api.blp)
