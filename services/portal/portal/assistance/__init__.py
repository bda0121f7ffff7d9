"""Capacity-building requests on the operators' side: the queue fed by the assessment
service's ``assistance_request.sent`` (consumer group ``portal-assistance``), the operators'
answers announced back as ``assistance_request.status_changed``, and the registry of expertise
administrations volunteer.

``init_app`` registers the error texts and the API.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from portal.assistance import api
from portal.assistance.texts import DOMAIN, MESSAGES, TITLES
from shared.errors import register_titles
from shared.messages import register_messages

__all__ = ["init_app"]


def init_app(app: Flask, rest: Api) -> None:
    """Register the assistance queue's texts and API on the portal app."""
    register_titles(TITLES, domain=DOMAIN)
    register_messages("portal", MESSAGES)
    rest.register_blueprint(api.blp)
