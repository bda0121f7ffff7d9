"""Entry point of the Celery worker: ``celery -A reports.worker worker --queues reports``.

The Flask app is deliberately not named ``app``: ``celery -A`` takes a module's ``app``
attribute first, so it would pick the Flask app instead of ``celery``.
"""

from __future__ import annotations

from reports import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
