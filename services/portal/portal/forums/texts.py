"""Problem titles of the forums and the English templates of their refusal messages (a problem's
``detail`` and ``errors``), both marked for the portal's gettext catalog."""

from __future__ import annotations

from shared.translations import N_

DOMAIN = "portal"

TITLES: dict[str, str] = {
    "unknown_category": N_("The category is not one of the forums' categories"),
    "unknown_quoted_post": N_("The quoted post is not a post of this thread"),
    "thread_locked": N_("The thread is locked"),
    "edit_window_closed": N_("The time to edit this post is over"),
    "unknown_item": N_("The item is not a published catalogue item"),
    "unknown_mention": N_("A mentioned person is not a member of the forums"),
}

RATE_LIMITED = "Too many forum posts from this caller: wait for Retry-After seconds"

# The English templates of this module's refusal messages (``shared.messages``), translated
# by the portal catalog.
MESSAGES: list[str] = [
    N_("the forums are for members of an administration, editors and operators"),
    N_("the thread is locked: it takes no more replies or edits"),
    N_("only its author edits a post"),
    N_("a post can be edited only within {minutes} minutes of posting"),
    N_("unknown category"),
    N_("not a post of this thread"),
    N_("not a published catalogue item"),
    N_("only editors moderate the forums"),
    N_("a category already has this key"),
    N_("you already reported this post"),
    N_("a move names the category the thread goes to"),
    N_("Too many forum posts from this caller: wait for Retry-After seconds"),
    N_("not an active member of the forums: {ids}"),
    N_("each person is mentioned once"),
]
