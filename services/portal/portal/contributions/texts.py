"""Texts of the contribution pages, in English and French (keys used as ``_("key")``)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "contrib.title": {"en": "Share material", "fr": "Partager un document"},
    "contrib.lead": {
        "en": "Share a document, presentation, spreadsheet or image with the other member "
        "administrations. The editors review it before other members can see it; you will "
        "see their remarks here.",
        "fr": "Partagez un document, une présentation, un tableur ou une image avec les autres "
        "administrations membres. Les éditeurs le relisent avant que les autres membres ne "
        "puissent le voir ; vous verrez leurs remarques ici.",
    },
    "contrib.file": {
        "en": "File (PDF, image, Word, Excel, PowerPoint, text or CSV; at most {size} MB)",
        "fr": "Fichier (PDF, image, Word, Excel, PowerPoint, texte ou CSV ; {size} Mo au plus)",
    },
    "contrib.texts": {"en": "Title and summary in {name}", "fr": "Titre et résumé en {name}"},
    "contrib.texts.hint": {
        "en": "Give a title in English, in French, or in both.",
        "fr": "Donnez un titre en anglais, en français, ou dans les deux langues.",
    },
    "contrib.technologies": {"en": "Technologies", "fr": "Technologies"},
    "contrib.domains": {"en": "Customs domains", "fr": "Domaines douaniers"},
    "contrib.visibility.hint": {
        "en": "The visibility you ask for; the editors decide.",
        "fr": "La visibilité que vous demandez ; les éditeurs décident.",
    },
    "contrib.submit": {"en": "Send for review", "fr": "Envoyer en relecture"},
    "contrib.mine": {"en": "My contributions", "fr": "Mes contributions"},
    "contrib.none": {
        "en": "You have not shared anything yet.",
        "fr": "Vous n'avez encore rien partagé.",
    },
    "contrib.new": {"en": "Share new material", "fr": "Partager un nouveau document"},
    "contrib.status": {"en": "Status", "fr": "État"},
    "contrib.status.in_review": {"en": "In review", "fr": "En relecture"},
    "contrib.status.changes_requested": {
        "en": "Changes requested",
        "fr": "Modifications demandées",
    },
    "contrib.status.published": {"en": "Published", "fr": "Publié"},
    "contrib.status.archived": {"en": "Archived", "fr": "Archivé"},
    "contrib.versions": {"en": "Versions of the file", "fr": "Versions du fichier"},
    "contrib.version": {"en": "Version {number}", "fr": "Version {number}"},
    "contrib.download": {"en": "Download", "fr": "Télécharger"},
    "contrib.size": {"en": "{size} KB", "fr": "{size} Ko"},
    "contrib.remarks": {"en": "Review", "fr": "Relecture"},
    "contrib.step.submitted": {"en": "sent for review", "fr": "envoi en relecture"},
    "contrib.step.changes_requested": {
        "en": "changes requested",
        "fr": "modifications demandées",
    },
    "contrib.step.new_version": {"en": "new version sent", "fr": "nouvelle version envoyée"},
    "contrib.step.published": {"en": "published", "fr": "publication"},
    "contrib.step.archived": {"en": "archived", "fr": "archivage"},
    "contrib.answer": {
        "en": "Answer the change request with a new version",
        "fr": "Répondre à la demande de modification par une nouvelle version",
    },
    "contrib.note": {
        "en": "What you changed (for the editors)",
        "fr": "Ce que vous avez modifié (pour les éditeurs)",
    },
    "contrib.send_version": {"en": "Send the new version", "fr": "Envoyer la nouvelle version"},
    "contrib.sent": {
        "en": "Thank you: the editors will review it.",
        "fr": "Merci : les éditeurs vont le relire.",
    },
    "contrib.page": {"en": "See its page in the catalogue", "fr": "Voir sa page au catalogue"},
    "contrib.checksum": {"en": "SHA-256", "fr": "SHA-256"},
}
