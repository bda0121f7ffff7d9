"""Generated from the OpenAPI document: every operation, including those added later."""

from shared.conformance import (
    Conformance,
    refusals_of_bad_pages,
    refusals_of_other_methods,
    refusals_of_unsafe_text,
    refusals_without_token,
    undocumented_refusals,
)


def test_every_operation_needing_a_token_refuses_a_request_without_one(client, app):
    assert refusals_without_token(client, Conformance.of(app)) == []


def test_every_list_refuses_pages_out_of_range_naming_the_field(client, app, demo, login):
    # Each list is someone's: operators read most, editors the forums' reports and moderation
    # log (others: 403).
    found = [
        set(refusals_of_bad_pages(client, Conformance.of(app), login(who)))
        for who in ("operator@demo.example", "editor@demo.example")
    ]
    assert sorted(set.intersection(*found)) == []


def test_every_path_refuses_other_methods_with_a_problem_naming_those_allowed(client, app):
    assert refusals_of_other_methods(client, Conformance.of(app)) == []


def test_every_documented_refusal_is_a_problem_document(app):
    assert undocumented_refusals(Conformance.of(app)) == []


def test_every_text_field_parameter_and_id_refuses_control_characters(client, app, demo, login):
    # Each operation is someone's: operators own accounts, editors the catalogue (others: 403).
    found = [
        set(refusals_of_unsafe_text(client, Conformance.of(app), login(who)))
        for who in ("operator@demo.example", "editor@demo.example")
    ]
    assert sorted(set.intersection(*found)) == []
