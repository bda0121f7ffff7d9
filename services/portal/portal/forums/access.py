"""Who may read and write the forums: signed-in members of an administration, editors and
operators; editors moderate."""

from __future__ import annotations

from shared.auth import Principal, Role
from shared.errors import ApiError

MEMBERS_ONLY = "the forums are for members of an administration, editors and operators"


def require_member(principal: Principal) -> None:
    """Refuse a caller who is neither a member of an administration nor an editor or operator."""
    if principal.has_any(Role.EDITOR, Role.OPERATOR):
        return
    if principal.administration_id is None or principal.has_any(Role.CLIENT):
        raise ApiError(403, "forbidden", MEMBERS_ONLY)


def moderates(principal: Principal) -> bool:
    """Return whether the caller moderates the forums (sees hidden posts and threads)."""
    return principal.has_any(Role.EDITOR)
