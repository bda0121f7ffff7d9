"""The users' folded names (issue 15, the members lookup): ``users.name_key``, the display name
without accents, case or punctuation, which the mentions picker's lookup filters on in SQL
instead of folding every active user's name in Python.

Upgrade adds the column and fills it for the users already there (the folding is this
revision's own copy of ``portal.names.folded`` at the time, so later changes there do not
change what this revision did). Downgrade drops it (nothing is lost: it derives from
``display_name``).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_NOT_LETTERS = re.compile(r"[^\w]+")
_USERS = sa.table(
    "users", sa.column("id", sa.String), sa.column("display_name"), sa.column("name_key")
)


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_LETTERS.sub(" ", plain).strip()


def upgrade() -> None:
    """Add ``users.name_key`` and fold the names of the users already there."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("name_key", sa.Text(), server_default="", nullable=False))
    connection = op.get_bind()
    rows = connection.execute(sa.select(_USERS.c.id, _USERS.c.display_name)).all()
    if rows:
        connection.execute(
            _USERS.update().where(_USERS.c.id == sa.bindparam("user_id")),
            [{"user_id": user_id, "name_key": _folded(name)} for user_id, name in rows],
        )


def downgrade() -> None:
    """Drop ``users.name_key``."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("name_key")
