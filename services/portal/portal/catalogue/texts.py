"""Texts of the catalogue's pages (home, catalogue, item, editor screens), in English and French."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # home
    "home.title": {"en": "Welcome", "fr": "Bienvenue"},
    "home.lead": {
        "en": "A community portal for customs administrations on artificial intelligence, "
        "machine learning, blockchain and cloud computing: resources, case studies and tools.",
        "fr": "Un portail communautaire pour les administrations douanières sur l'intelligence "
        "artificielle, l'apprentissage automatique, la chaîne de blocs et l'informatique en "
        "nuage : ressources, études de cas et outils.",
    },
    "home.search": {"en": "Search the catalogue", "fr": "Rechercher dans le catalogue"},
    "home.assess.title": {
        "en": "How ready is your administration for AI?",
        "fr": "Votre administration est-elle prête pour l'IA ?",
    },
    "home.assess.lead": {
        "en": "The AI/ML readiness self-assessment looks at six areas (strategy, governance, "
        "data, technical capacity, human skills, legal and ethical) and proposes priorities and "
        "a roadmap. Your answers and results stay private to your administration: it is a "
        "starting point for internal discussion, not a benchmark.",
        "fr": "L'auto-évaluation de la préparation à l'IA examine six domaines (stratégie, "
        "gouvernance, données, capacité technique, compétences humaines, juridique et éthique) "
        "et propose des priorités et une feuille de route. Vos réponses et résultats restent "
        "propres à votre administration : c'est un point de départ pour la discussion interne, "
        "pas un classement.",
    },
    "home.assess.start": {"en": "Start the self-assessment", "fr": "Commencer l'auto-évaluation"},
    "home.assess.about": {"en": "About the tool", "fr": "À propos de l'outil"},
    "home.featured": {"en": "Featured", "fr": "À la une"},
    "home.latest": {"en": "Latest additions", "fr": "Derniers ajouts"},
    "home.events": {"en": "Coming events", "fr": "Événements à venir"},
    "home.docs": {
        "en": "For developers: the API documentation",
        "fr": "Pour les développeurs : la documentation de l'API",
    },
    "home.all": {"en": "See the whole catalogue", "fr": "Voir tout le catalogue"},
    "home.members": {
        "en": "Members of customs administrations: sign in to see the material shared among "
        "members.",
        "fr": "Membres des administrations douanières : connectez-vous pour voir les contenus "
        "réservés aux membres.",
    },
    # catalogue and search
    "cat.title": {"en": "Catalogue", "fr": "Catalogue"},
    "cat.search": {"en": "Search", "fr": "Rechercher"},
    "cat.search.label": {"en": "Words to look for", "fr": "Mots recherchés"},
    "cat.filters": {"en": "Filters", "fr": "Filtres"},
    "cat.apply": {"en": "Apply the filters", "fr": "Appliquer les filtres"},
    "cat.clear": {
        "en": "Clear the search and filters",
        "fr": "Effacer la recherche et les filtres",
    },
    "cat.sort": {"en": "Sort by", "fr": "Trier par"},
    "cat.sort.apply": {"en": "Sort", "fr": "Trier"},
    "cat.sort.relevance": {"en": "Relevance", "fr": "Pertinence"},
    "cat.sort.newest": {"en": "Newest first", "fr": "Plus récents d'abord"},
    "cat.sort.title": {"en": "Title", "fr": "Titre"},
    "cat.sort.event_date": {"en": "Event date", "fr": "Date de l'événement"},
    "cat.total": {"en": "{total} results", "fr": "{total} résultats"},
    "cat.total.one": {"en": "1 result", "fr": "1 résultat"},
    "cat.for": {"en": "for “{q}”", "fr": "pour « {q} »"},
    "cat.none": {
        "en": "Nothing matches. Try other words or fewer filters.",
        "fr": "Aucun résultat. Essayez d'autres mots ou moins de filtres.",
    },
    "cat.page": {"en": "Page {page} of {pages}", "fr": "Page {page} sur {pages}"},
    "cat.prev": {"en": "Previous page", "fr": "Page précédente"},
    "cat.next": {"en": "Next page", "fr": "Page suivante"},
    "cat.pages": {"en": "Result pages", "fr": "Pages de résultats"},
    "cat.bad_query": {
        "en": "Some search settings were not understood and were left out.",
        "fr": "Certains paramètres de recherche n'ont pas été compris et ont été ignorés.",
    },
    "cat.members_hint": {
        "en": "Signed-in members also see the material shared among members.",
        "fr": "Les membres connectés voient aussi les contenus réservés aux membres.",
    },
    "facet.kind": {"en": "Kind", "fr": "Type"},
    "facet.technology": {"en": "Technology", "fr": "Technologie"},
    "facet.domain": {"en": "Customs domain", "fr": "Domaine douanier"},
    "facet.topic": {"en": "Topic", "fr": "Thème"},
    "facet.region": {"en": "Region", "fr": "Région"},
    "facet.language": {"en": "Language", "fr": "Langue"},
    "facet.status": {"en": "Status", "fr": "Statut"},
    # an item
    "item.members": {"en": "Members only", "fr": "Réservé aux membres"},
    "item.only_in": {
        "en": "This item is not available in English yet: it is shown in {name}.",
        "fr": "Ce contenu n'est pas encore disponible en français : il est affiché en {name}.",
    },
    "item.published": {"en": "Published on {date}", "fr": "Publié le {date}"},
    "item.event": {"en": "Date: {start}", "fr": "Date : {start}"},
    "item.event_range": {"en": "From {start} to {end}", "fr": "Du {start} au {end}"},
    "item.links": {"en": "Links and attachments", "fr": "Liens et pièces jointes"},
    "item.launch": {"en": "Open the tool", "fr": "Ouvrir l'outil"},
    "item.administration": {"en": "Administration", "fr": "Administration"},
    "item.section.problem": {"en": "The problem", "fr": "Le problème"},
    "item.section.technology": {"en": "The technology", "fr": "La technologie"},
    "item.section.results": {"en": "Results", "fr": "Résultats"},
    "item.section.lessons": {"en": "Lessons learned", "fr": "Enseignements"},
    "item.tags": {"en": "Classification", "fr": "Classement"},
    "item.back": {"en": "Back to the catalogue", "fr": "Retour au catalogue"},
    "item.edit": {"en": "Edit this item", "fr": "Modifier ce contenu"},
    "item.status": {
        "en": "Status: {status} (only editors see this item)",
        "fr": "Statut : {status} (seuls les éditeurs voient ce contenu)",
    },
    "item.not_found.hint": {
        "en": "Some material is reserved for members: sign in to see it.",
        "fr": "Certains contenus sont réservés aux membres : connectez-vous pour les voir.",
    },
    # proposals
    "propose.title": {"en": "Propose a case study", "fr": "Proposer une étude de cas"},
    "propose.lead": {
        "en": "Share how your administration used a new technology. The portal's editors review "
        "every proposal before it is published.",
        "fr": "Partagez la manière dont votre administration a utilisé une nouvelle technologie. "
        "Les éditeurs du portail relisent chaque proposition avant publication.",
    },
    "propose.sent": {
        "en": "Thank you: your case study was sent to the editors for review.",
        "fr": "Merci : votre étude de cas a été transmise aux éditeurs pour relecture.",
    },
    "propose.submit": {"en": "Send for review", "fr": "Envoyer pour relecture"},
    # editor screens
    "ed.title": {"en": "Editorial desk", "fr": "Espace éditorial"},
    "ed.new": {"en": "New item", "fr": "Nouveau contenu"},
    "ed.edit": {"en": "Edit: {title}", "fr": "Modifier : {title}"},
    "ed.review": {"en": "Waiting for your review", "fr": "En attente de votre relecture"},
    "ed.none": {"en": "No item here.", "fr": "Aucun contenu ici."},
    "ed.col.title": {"en": "Title", "fr": "Titre"},
    "ed.col.kind": {"en": "Kind", "fr": "Type"},
    "ed.col.status": {"en": "Status", "fr": "Statut"},
    "ed.col.updated": {"en": "Last change", "fr": "Dernière modification"},
    "ed.col.languages": {"en": "Languages", "fr": "Langues"},
    "ed.save": {"en": "Save", "fr": "Enregistrer"},
    "ed.create": {"en": "Create the draft", "fr": "Créer le brouillon"},
    "ed.saved": {"en": "Saved.", "fr": "Enregistré."},
    "ed.action.submit": {"en": "Send for review", "fr": "Envoyer en relecture"},
    "ed.action.publish": {"en": "Publish", "fr": "Publier"},
    "ed.action.archive": {"en": "Archive", "fr": "Archiver"},
    "ed.action.reopen": {"en": "Back to draft", "fr": "Remettre en brouillon"},
    "ed.done.submit": {"en": "Sent for review.", "fr": "Envoyé en relecture."},
    "ed.done.publish": {"en": "Published.", "fr": "Publié."},
    "ed.done.archive": {"en": "Archived.", "fr": "Archivé."},
    "ed.done.reopen": {"en": "Back to draft.", "fr": "Remis en brouillon."},
    "ed.note": {
        "en": "Note for the history (optional)",
        "fr": "Note pour l'historique (facultatif)",
    },
    "ed.workflow": {"en": "Editorial workflow", "fr": "Circuit éditorial"},
    "ed.second_editor": {
        "en": "You changed this item: another editor must publish it.",
        "fr": "Vous avez modifié ce contenu : un autre éditeur doit le publier.",
    },
    "ed.history": {"en": "History", "fr": "Historique"},
    "ed.history.changed": {"en": "changed: {fields}", "fr": "modifié : {fields}"},
    "ed.terms": {"en": "Vocabularies", "fr": "Vocabulaires"},
    "ed.terms.scheme": {"en": "Vocabulary", "fr": "Vocabulaire"},
    "ed.terms.code": {"en": "Code", "fr": "Code"},
    "ed.terms.code_hint": {
        "en": "lowercase words joined by hyphens, e.g. quantum-computing",
        "fr": "mots en minuscules reliés par des traits d'union, p. ex. informatique-quantique",
    },
    "ed.terms.label": {"en": "Label in {name}", "fr": "Libellé en {name}"},
    "ed.terms.add": {"en": "Add the term", "fr": "Ajouter le terme"},
    "ed.terms.added": {
        "en": "Term {code} added: it can be chosen in the forms now.",
        "fr": "Terme {code} ajouté : il peut désormais être choisi dans les formulaires.",
    },
    "ed.history.created": {"en": "created", "fr": "création"},
    "ed.history.proposed": {"en": "proposed by a member", "fr": "proposé par un membre"},
    "ed.history.updated": {"en": "changed", "fr": "modification"},
    "ed.history.submitted": {"en": "sent for review", "fr": "envoi en relecture"},
    "ed.history.published": {"en": "published", "fr": "publication"},
    "ed.history.archived": {"en": "archived", "fr": "archivage"},
    "ed.history.reopened": {"en": "back to draft", "fr": "retour en brouillon"},
    "ed.history.resubmitted": {
        "en": "new version sent by the member",
        "fr": "nouvelle version envoyée par le membre",
    },
    "ed.view": {"en": "See the page", "fr": "Voir la page"},
    "ed.fields": {"en": "Description", "fr": "Description"},
    "ed.texts": {"en": "Texts in {name}", "fr": "Textes en {name}"},
    "ed.texts.hint": {
        "en": "Leave every field of a language empty if the item does not exist in it yet.",
        "fr": "Laissez vides tous les champs d'une langue si le contenu n'y existe pas encore.",
    },
    "ed.case_study": {
        "en": "Case study sections (Markdown)",
        "fr": "Rubriques de l'étude de cas (Markdown)",
    },
    "ed.field.kind": {"en": "Kind", "fr": "Type"},
    "ed.field.subtype": {"en": "Subtype", "fr": "Sous-type"},
    "ed.field.none": {"en": "(none)", "fr": "(aucun)"},
    "ed.field.visibility": {"en": "Visibility", "fr": "Visibilité"},
    "ed.field.featured": {
        "en": "Feature on the home page",
        "fr": "Mettre à la une sur la page d'accueil",
    },
    "ed.field.region": {"en": "Region", "fr": "Région"},
    "ed.field.slug": {"en": "Address (slug)", "fr": "Adresse (slug)"},
    "ed.field.administration": {
        "en": "Administration the case is about",
        "fr": "Administration concernée par le cas",
    },
    "ed.field.launch_url": {"en": "Address of the tool", "fr": "Adresse de l'outil"},
    "ed.field.event_start": {"en": "Event start", "fr": "Début de l'événement"},
    "ed.field.event_end": {"en": "Event end", "fr": "Fin de l'événement"},
    "ed.field.title": {"en": "Title", "fr": "Titre"},
    "ed.field.summary": {"en": "Summary", "fr": "Résumé"},
    "ed.field.body": {"en": "Body (Markdown)", "fr": "Corps du texte (Markdown)"},
    "ed.field.links": {
        "en": "Links: one per line, as “label | address”",
        "fr": "Liens : un par ligne, sous la forme « libellé | adresse »",
    },
    "ed.field.problem": {"en": "The problem", "fr": "Le problème"},
    "ed.field.technology": {"en": "The technology", "fr": "La technologie"},
    "ed.field.results": {"en": "Results", "fr": "Résultats"},
    "ed.field.lessons": {"en": "Lessons learned", "fr": "Enseignements"},
    "ed.errors": {
        "en": "The item was not saved: check the fields below.",
        "fr": "Le contenu n'a pas été enregistré : vérifiez les champs ci-dessous.",
    },
    "lang.en": {"en": "English", "fr": "anglais"},
    "lang.fr": {"en": "French", "fr": "français"},
}
