"""The portal's content catalogue: items, editorial workflow, search, cache, API.

``init_app`` wires it into the portal app; ``ensure_schema`` creates what plain ``create_all``
cannot (the search index) and seeds the vocabularies. Use cases for pages and scripts:
``items`` (writes), ``reading.get_item``, ``listing.search_items``, ``vocabulary``.
"""

from __future__ import annotations

from flask import Flask, g
from flask_smorest import Api

from portal.catalogue import api, editor_pages, pages, vocabulary
from portal.catalogue.cache import ContentCache
from portal.catalogue.search import index_for
from portal.catalogue.snapshot import SnapshotHolder
from portal.catalogue.texts import LABEL_OF
from shared.errors import register_titles
from shared.messages import register_messages
from shared.translations import N_, language_name

__all__ = ["ensure_schema", "init_app"]

# code -> its problem title: the English text, translated by the portal's catalog
TITLES = {
    "second_editor_required": N_(
        "Another editor must publish this item: you changed it since its last publication"
    ),
    "invalid_transition": N_(
        "This step of the editorial workflow is not possible in the item's state"
    ),
    "version_conflict": N_(
        "The item changed since you read it; reload it and apply your changes again"
    ),
    "slug_taken": N_("Another item already uses this address"),
    "item_rules_failed": N_("The item names unknown terms or has fields its kind does not allow"),
    "term_exists": N_("This vocabulary already has a term with this code"),
}

# The English templates of this module's refusal messages (``shared.messages``), translated
# by the portal catalog.
MESSAGES: list[str] = [
    N_("lowercase words joined by -"),
    N_("longer than {size} kB"),
    N_("an http(s) URL or a path starting with /"),
    N_("missing: {languages}"),
    N_("already used: {slug}"),
    N_("an item in '{status}' cannot be edited"),
    N_("the item is at version {version}"),
]


def init_app(app: Flask, rest: Api) -> None:
    """Attach the catalogue's adapters (search index, cache), error texts and API."""
    register_titles(TITLES, domain="portal")
    register_messages("portal", MESSAGES)
    database = app.extensions["db"]
    app.extensions["portal.search"] = index_for(database.engine.dialect.name)
    app.extensions["portal.cache"] = ContentCache(
        app.extensions["redis"],
        ttl_s=app.config["PORTAL_CACHE_TTL_S"],
        url=app.config["REDIS_URL"],
    )
    app.extensions["portal.snapshots"] = SnapshotHolder()
    rest.register_blueprint(api.blp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(editor_pages.bp)

    @app.context_processor
    def _labels() -> dict[str, object]:
        return {
            "vocabulary_status": lambda code: (
                vocabulary.fixed_label("status", code, g.get("language", "en")) or code
            ),
            "label_of": LABEL_OF,
            # a content language's name in a sentence, as the reader writes it ("en anglais")
            "language_name": lambda code: language_name(code, g.get("language", "en")),
        }


def ensure_schema(app: Flask) -> None:
    """Create the search index structures and seed the vocabularies (idempotent)."""
    database = app.extensions["db"]
    with database.engine.begin() as connection:
        app.extensions["portal.search"].ensure_schema(connection)
    with database.session(write=True) as session, session.begin():
        vocabulary.seed(session)
