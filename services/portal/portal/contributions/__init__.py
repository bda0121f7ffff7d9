"""Members' contributions: a file with its description, reviewed by the editors as a catalogue
item, answered with new versions; files in the store ``PORTAL_FILE_STORE`` names.

``init_app`` wires the file store, the error texts, the API and the members' pages into the
portal app.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from shared.errors import register_titles
from shared.messages import register_messages
from shared.translations import N_

__all__ = ["init_app"]

# code -> its problem title: the English text, translated by the portal's catalog
TITLES = {
    "file_too_large": N_("The file is larger than the portal accepts"),
    "unsupported_file_type": N_(
        "This type of file is not accepted: send a PDF, an image, an Office document or plain text"
    ),
    "no_change_requested": N_("No change was requested of this contribution"),
}

# The English templates of this module's refusal messages (``shared.messages``), translated
# by the portal catalog.
MESSAGES: list[str] = [
    N_("the file is larger than {size} MiB"),
    N_("the file is larger than {size} KiB"),
    N_("the file is larger than {size} bytes"),
    N_("send the file as multipart/form-data"),
    N_("only members of an administration contribute"),
    N_("only the contributor sends new versions"),
    N_("a title in English or French is needed"),
    N_("a summary needs a title in its language"),
    N_("a new version answers a change request; this contribution is {status}"),
    N_("changes are requested of an item in review"),
    N_("the file is empty"),
    N_("binary content of an unknown type"),
    N_("text that is not UTF-8"),
    N_("markup or script (HTML, SVG, XML, JavaScript)"),
    N_("an Office document with macros"),
    N_("a zip archive that is not an Office document"),
    N_("a zip archive that is not a Word, Excel or PowerPoint document"),
    N_("a zip archive with an oversized [Content_Types].xml"),
]


def init_app(app: Flask, rest: Api) -> None:
    """Attach the file store (``PORTAL_FILE_STORE``), the error texts, the API and the pages."""
    from portal.contributions import api, pages, review_pages
    from portal.files import store_from_config

    register_titles(TITLES, domain="portal")
    register_messages("portal", MESSAGES)
    app.extensions["portal.files"] = store_from_config(app.config)
    rest.register_blueprint(api.blp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(review_pages.bp)
