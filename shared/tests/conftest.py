"""A probe service built with ``create_service_app``, for the shared web behaviour's tests."""

from typing import Any

import pytest
from flask import Flask
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from shared.web import create_service_app


class Body(Schema):
    n = fields.Integer(required=True)


@pytest.fixture
def probe_app(service_config: dict[str, Any]) -> Flask:
    """Return a service app with ``POST /echo``, ``POST /echo/<int:number>`` and ``GET /boom``."""
    app, api = create_service_app(
        "probe", service="probe", title="probe", test_config=service_config
    )
    blp = Blueprint("probe", __name__, url_prefix="/api/v1/probe")

    @blp.route("/echo", methods=["POST"])
    @blp.arguments(Body)
    def echo(body):
        return body

    @blp.route("/echo/<int:number>", methods=["POST"])
    @blp.arguments(Body)
    def echo_number(body, number):
        return body

    @blp.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    api.register_blueprint(blp)
    return app
