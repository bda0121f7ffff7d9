import pytest

from portal.catalogue import rendering, workflow
from portal.catalogue.audience import ANONYMOUS, EDITORS, MEMBERS, PUBLIC, audience_for
from portal.catalogue.search import fold, query_terms
from shared.auth import Principal
from shared.errors import ApiError


def _principal(*roles, administration_id=None):
    return Principal("u1", administration_id, frozenset(roles))


def test_the_workflow_goes_from_draft_through_review_to_publication():
    assert workflow.next_status("submit", "draft") == "in_review"
    assert workflow.next_status("publish", "in_review") == "published"
    assert workflow.next_status("archive", "published") == "archived"
    for state in ("in_review", "published", "archived"):
        assert workflow.next_status("reopen", state) == "draft"


@pytest.mark.parametrize(
    ("action", "state"),
    [("publish", "draft"), ("submit", "published"), ("archive", "archived"), ("reopen", "draft")],
)
def test_impossible_steps_are_conflicts(action, state):
    with pytest.raises(ApiError) as raised:
        workflow.next_status(action, state)
    assert (raised.value.status, raised.value.code) == (409, "invalid_transition")


def test_whoever_changed_the_content_cannot_publish_it():
    workflow.check_publisher("reviewer", ["author"])
    with pytest.raises(ApiError) as raised:
        workflow.check_publisher("author", ["author", "reviewer"])
    assert (raised.value.status, raised.value.code) == (403, "second_editor_required")


def test_archived_items_are_not_editable():
    workflow.check_editable("published")
    with pytest.raises(ApiError):
        workflow.check_editable("archived")


def test_visibility_classes():
    assert audience_for(None) is ANONYMOUS
    assert ANONYMOUS.visibilities == ("public",)
    assert (
        audience_for(_principal("respondent", administration_id="a1")).visibility_class == MEMBERS
    )
    assert audience_for(_principal("operator")).visibility_class == MEMBERS
    assert audience_for(_principal("editor")).visibility_class == EDITORS
    assert audience_for(_principal("client")).visibility_class == PUBLIC
    assert not audience_for(_principal("editor")).cacheable
    assert audience_for(_principal("editor")).sees_unpublished


def test_query_terms_are_folded_words_without_stop_words():
    assert query_terms("La Qualité des DONNÉES") == ["qualite", "donnees"]
    assert query_terms('"risk" AND (ml*)') == ["risk", "ml"]
    assert query_terms("the of le") == []
    assert query_terms(None) == []
    assert len(query_terms(" ".join(f"w{i}" for i in range(40)))) == 12
    assert fold("Cœur Économique") == "coeur economique"


def test_markdown_is_rendered_and_sanitized():
    assert rendering.to_html("*hi*") == "<p><em>hi</em></p>"
    assert rendering.to_html("   ") == ""
    html = rendering.to_html('<a href="javascript:x()" onclick="y()">z</a><script>s()</script>')
    assert "javascript" not in html and "onclick" not in html and "<script" not in html
    table = rendering.to_html("| a |\n|---|\n| 1 |")
    assert "<table>" in table and "<td>1</td>" in table
