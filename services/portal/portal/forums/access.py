"""Who may read and write the forums: signed-in members of an administration, editors and
operators; editors moderate."""

from __future__ import annotations

from shared.auth import Principal, Role
from shared.errors import ApiError
from shared.pages import reads_forums

MEMBERS_ONLY = "the forums are for members of an administration, editors and operators"


def require_member(principal: Principal) -> None:
    """Refuse a caller who is neither a member of an administration nor an editor or operator."""
    if not reads_forums(principal.roles, principal.administration_id):
        raise ApiError(403, "forbidden", MEMBERS_ONLY)


def moderates(principal: Principal) -> bool:
    """Return whether the caller moderates the forums (sees hidden posts and threads)."""
    return principal.has_any(Role.EDITOR)
