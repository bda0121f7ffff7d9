"""A bare Flask hello-world app: the baseline the gateway benchmark compares the services with.

gunicorn --workers 3 --pythonpath bench --bind 127.0.0.1:8009 'hello:create_app()'
"""

from __future__ import annotations

from flask import Flask


def create_app() -> Flask:
    """Return an app that answers ``GET /hello`` with a small JSON document."""
    app = Flask(__name__)

    @app.get("/hello")
    def hello() -> dict[str, str]:
        """Say hello."""
        return {"message": "hello"}

    return app
