"""Who is reading: the visibility class every read, search, facet count and cache entry uses.

Anonymous readers see published public items; any signed-in user of an administration (and the
platform's operators) also see published members-only items; editors see every item in every
state. The class is part of every cache key, so one class never reads another's entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth import Principal, Role

PUBLIC = "public"
MEMBERS = "members"
EDITORS = "editors"


@dataclass(frozen=True)
class Audience:
    """The visibility class of a reader, and who they are (None when anonymous)."""

    visibility_class: str
    subject: str | None = None

    @property
    def visibilities(self) -> tuple[str, ...]:
        """Return the item visibilities this reader may see."""
        return ("public",) if self.visibility_class == PUBLIC else ("public", "members")

    @property
    def sees_unpublished(self) -> bool:
        """Return whether drafts, items in review and archived items are visible."""
        return self.visibility_class == EDITORS

    def admits(self, status: str, visibility: str) -> bool:
        """Return whether an item in ``status`` with ``visibility`` is visible to this reader."""
        if visibility not in self.visibilities:
            return False
        return self.sees_unpublished or status == "published"

    @property
    def cacheable(self) -> bool:
        """Return whether this class's reads are shared through the cache (not editors')."""
        return self.visibility_class != EDITORS


ANONYMOUS = Audience(PUBLIC)


def audience_for(principal: Principal | None) -> Audience:
    """Return the visibility class of ``principal`` (None: an anonymous reader)."""
    if principal is None:
        return ANONYMOUS
    if principal.has_any(Role.EDITOR):
        return Audience(EDITORS, principal.subject)
    if principal.administration_id or principal.has_any(Role.OPERATOR):
        return Audience(MEMBERS, principal.subject)
    return Audience(PUBLIC, principal.subject)


def is_member(principal: Principal) -> bool:
    """Return whether ``principal`` is a signed-in user of a member administration."""
    return bool(principal.administration_id) and not principal.has_any(Role.CLIENT)
