"""Members' contributions: a file with its description, reviewed by the editors as a catalogue
item, answered with new versions; files in the store ``PORTAL_FILE_STORE`` names.

``init_app`` wires the file store, the error texts, the API and the members' pages into the
portal app.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from shared.errors import register_titles
from shared.messages import register_translations
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

MESSAGES_FR = {
    "the file is larger than {size} MiB": "le fichier dépasse {size} Mio",
    "the file is larger than {size} KiB": "le fichier dépasse {size} Kio",
    "the file is larger than {size} bytes": "le fichier dépasse {size} octets",
    "send the file as multipart/form-data": "envoyez le fichier en multipart/form-data",
    "only members of an administration contribute": (
        "seuls les membres d'une administration contribuent"
    ),
    "only the contributor sends new versions": (
        "seul l'auteur de la contribution envoie de nouvelles versions"
    ),
    "a title in English or French is needed": "un titre en anglais ou en français est nécessaire",
    "a summary needs a title in its language": "un résumé demande un titre dans sa langue",
    "a new version answers a change request; this contribution is {status}": (
        "une nouvelle version répond à une demande de modification ; cette contribution est "
        "à l'état {status}"
    ),
    "changes are requested of an item in review": (
        "les modifications se demandent pour un contenu en relecture"
    ),
    "the file is empty": "le fichier est vide",
    "binary content of an unknown type": "contenu binaire d'un type inconnu",
    "text that is not UTF-8": "texte qui n'est pas en UTF-8",
    "markup or script (HTML, SVG, XML, JavaScript)": (
        "balisage ou script (HTML, SVG, XML, JavaScript)"
    ),
    "an Office document with macros": "un document Office avec des macros",
    "a zip archive that is not an Office document": (
        "une archive zip qui n'est pas un document Office"
    ),
    "a zip archive that is not a Word, Excel or PowerPoint document": (
        "une archive zip qui n'est pas un document Word, Excel ou PowerPoint"
    ),
    "a zip archive with an oversized [Content_Types].xml": (
        "une archive zip dont le [Content_Types].xml est trop grand"
    ),
}


def init_app(app: Flask, rest: Api) -> None:
    """Attach the file store (``PORTAL_FILE_STORE``), the error texts and the API."""
    from portal.contributions import api, pages
    from portal.files import store_from_config

    register_titles(TITLES, domain="portal")
    register_translations(MESSAGES_FR)
    app.extensions["portal.files"] = store_from_config(app.config)
    rest.register_blueprint(api.blp)
    app.register_blueprint(pages.bp)
