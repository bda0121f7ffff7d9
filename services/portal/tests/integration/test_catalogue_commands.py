import pytest

from portal.catalogue import items, listing, state, vocabulary
from portal.catalogue.audience import ANONYMOUS
from portal.models import VocabularyTerm
from shared.auth import Principal

pytestmark = pytest.mark.integration

AUTHOR = Principal("author", None, frozenset({"editor"}), name="Author")
REVIEWER = Principal("reviewer", None, frozenset({"editor"}), name="Reviewer")


def _search(app, q):
    with app.extensions["db"].session() as session:
        return listing.run_search(
            session=session,
            audience=ANONYMOUS,
            index=app.extensions["portal.search"],
            params=listing.SearchParams(q=q),
            language="en",
            snapshots=app.extensions["portal.snapshots"],
        )


def test_init_db_creates_the_search_index_and_seeds_the_vocabularies_once(app, count):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    assert app.extensions["portal.search"].name in first.output
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert count(VocabularyTerm) == sum(len(terms) for terms in vocabulary.SEED.values())


def test_reindex_content_rebuilds_the_search_rows(app):
    db, index = app.extensions["db"], app.extensions["portal.search"]
    data = {"kind": "resource", "translations": {"en": {"title": "Cargo scanning images"}}}
    with db.session(write=True) as session:
        item = items.create_item(session=session, principal=AUTHOR, index=index, data=data)
    with db.session(write=True) as session:
        items.submit_item(session=session, principal=AUTHOR, item_id=item.id)
    with db.session(write=True) as session:
        items.publish_item(session=session, principal=REVIEWER, item_id=item.id)
    assert _search(app, "scanning")["total"] == 1
    with db.session(write=True) as session, session.begin():
        index.remove(session, item.id)
        # A new catalogue version, so this process's remembered scores are not what is read.
        state.bump(session)
    assert _search(app, "scanning")["total"] == 0
    result = app.test_cli_runner().invoke(args=["reindex-content"])
    assert result.exit_code == 0, result.output
    assert "1 items reindexed" in result.output
    assert _search(app, "scanning")["total"] == 1
