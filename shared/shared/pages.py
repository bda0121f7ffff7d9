"""Server-rendered pages: the shared layout, its stylesheet, texts in English and French.

Each service serves its own pages under its prefix (``/`` for the portal, ``/assessment`` and
``/reports``) and the shared stylesheet at ``<prefix>/static/site.css``, so no page depends on
another service being up.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, g, request, send_from_directory
from flask.typing import ResponseReturnValue
from jinja2 import ChoiceLoader, FileSystemLoader

from shared.auth import CSRF_COOKIE, optional_principal
from shared.i18n import LAYOUT_TEXTS, SUPPORTED, Catalog, pick

_HERE = Path(__file__).parent


def init_pages(app: Flask, *, prefix: str, texts: Mapping[str, Mapping[str, str]]) -> Catalog:
    """Enable the shared layout and texts for ``app``'s pages served under ``prefix``."""
    catalog = Catalog(LAYOUT_TEXTS, texts)
    app.extensions["catalog"] = catalog
    loaders = [loader for loader in (app.jinja_loader,) if loader is not None]
    app.jinja_loader = ChoiceLoader([*loaders, FileSystemLoader(str(_HERE / "templates"))])
    static_base = f"{prefix.rstrip('/')}/static"

    @app.context_processor
    def _page_context() -> dict[str, Any]:
        language = g.get("language", "en")
        other = next(lang for lang in SUPPORTED if lang != language)
        args = {k: v for k, v in request.args.items() if k != "lang"}
        args["lang"] = other
        return {
            "lang": language,
            "other_lang": other,
            "switch_language_url": f"{request.path}?{urlencode(args)}",
            "principal": optional_principal(),
            "csrf_token": request.cookies.get(CSRF_COOKIE, ""),
            "static_base": static_base,
            "_": lambda key, **params: catalog.text(key, language, **params),
            "tr": lambda texts: pick(texts, language) if texts else "",
        }

    blueprint = Blueprint("shared_static", __name__)

    def shared_static(filename: str) -> ResponseReturnValue:
        return send_from_directory(_HERE / "static", filename, max_age=3600)

    blueprint.add_url_rule(f"{static_base}/<path:filename>", "shared_static", shared_static)
    app.register_blueprint(blueprint)
    return catalog


def text(key: str, **params: object) -> str:
    """Return a page text in the current request's language."""
    catalog: Catalog = current_app.extensions["catalog"]
    return catalog.text(key, g.get("language", "en"), **params)
