"""Problem titles of the forums (English, marked for the portal's gettext catalog) and the French
versions of their refusal messages (a problem's ``detail`` and ``errors``)."""

from __future__ import annotations

from shared.translations import N_

DOMAIN = "portal"

TITLES: dict[str, str] = {
    "unknown_category": N_("The category is not one of the forums' categories"),
    "unknown_quoted_post": N_("The quoted post is not a post of this thread"),
    "thread_locked": N_("The thread is locked"),
    "edit_window_closed": N_("The time to edit this post is over"),
    "unknown_item": N_("The item is not a published catalogue item"),
}

RATE_LIMITED = "Too many forum posts from this caller: wait for Retry-After seconds"

MESSAGES_FR: dict[str, str] = {
    "the forums are for members of an administration, editors and operators": (
        "les forums sont réservés aux membres d'une administration, aux éditeurs et aux opérateurs"
    ),
    "the thread is locked: it takes no more replies or edits": (
        "le fil est verrouillé : il n'accepte plus de réponses ni de modifications"
    ),
    "only its author edits a post": "seul son auteur modifie un message",
    "a post can be edited only within {minutes} minutes of posting": (
        "un message ne peut être modifié que dans les {minutes} minutes suivant sa publication"
    ),
    "unknown category": "catégorie inconnue",
    "not a post of this thread": "ce n'est pas un message de ce fil",
    "not a published catalogue item": "ce n'est pas un élément publié du catalogue",
    "only editors moderate the forums": "seuls les éditeurs modèrent les forums",
    "a category already has this key": "une catégorie a déjà cette clé",
    "you already reported this post": "vous avez déjà signalé ce message",
    "a move names the category the thread goes to": (
        "un déplacement indique la catégorie où va le fil"
    ),
    "Too many forum posts from this caller: wait for Retry-After seconds": (
        "Trop de messages de forum de cet appelant : attendez Retry-After secondes"
    ),
}
