"""Indexes in the order the forums read (issue 15, thread page bench): a thread's posts by
(thread, time of posting, id), so a page of them is read in order without a sort; the thread
lists by (category, last post, id) and by (last post, id); and ``forum_posts.quoted_post_id``, so
removing a post sets its quotes to null without a scan of every post.

Upgrade and downgrade only add and drop indexes (the two they replace were a prefix of the new
ones): no row changes.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the ordered indexes of threads and posts and the quoted post's; drop their prefixes."""
    op.create_index(
        "ix_forum_threads_category_recent",
        "forum_threads",
        ["category_key", "last_post_at", "id"],
    )
    op.create_index("ix_forum_threads_recent", "forum_threads", ["last_post_at", "id"])
    op.drop_index("ix_forum_threads_category_last", table_name="forum_threads")
    op.create_index("ix_forum_posts_thread_order", "forum_posts", ["thread_id", "created_at", "id"])
    op.drop_index("ix_forum_posts_thread_created", table_name="forum_posts")
    op.create_index(op.f("ix_forum_posts_quoted_post_id"), "forum_posts", ["quoted_post_id"])


def downgrade() -> None:
    """Put back the indexes of revision 0005."""
    op.drop_index(op.f("ix_forum_posts_quoted_post_id"), table_name="forum_posts")
    op.create_index("ix_forum_posts_thread_created", "forum_posts", ["thread_id", "created_at"])
    op.drop_index("ix_forum_posts_thread_order", table_name="forum_posts")
    op.create_index(
        "ix_forum_threads_category_last", "forum_threads", ["category_key", "last_post_at"]
    )
    op.drop_index("ix_forum_threads_recent", table_name="forum_threads")
    op.drop_index("ix_forum_threads_category_recent", table_name="forum_threads")
