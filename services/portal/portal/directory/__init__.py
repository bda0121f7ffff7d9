"""The national contact point directory: the people each administration names as its contacts
(strategy, IT, legal...), for signed-in members only.

``init_app`` registers the error texts and the API.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from portal.directory import api
from portal.directory.texts import DOMAIN, MESSAGES, TITLES
from shared.errors import register_titles
from shared.messages import register_messages

__all__ = ["init_app"]


def init_app(app: Flask, rest: Api) -> None:
    """Register the directory's texts and API on the portal app."""
    register_titles(TITLES, domain=DOMAIN)
    register_messages("portal", MESSAGES)
    rest.register_blueprint(api.blp)
