"""Generated from the OpenAPI document: every operation, including those added later."""

from shared.auth import Role
from shared.conformance import (
    Conformance,
    refusals_of_bad_pages,
    refusals_of_other_methods,
    refusals_of_unsafe_text,
    refusals_without_token,
    undocumented_refusals,
)

EVERY_ROLE = tuple(role.value for role in Role)


def test_every_operation_needing_a_token_refuses_a_request_without_one(client, app):
    assert refusals_without_token(client, Conformance.of(app)) == []


def test_every_list_refuses_pages_out_of_range_naming_the_field(client, app, make_token):
    headers = {"Authorization": f"Bearer {make_token('user-1', 'adm-1', EVERY_ROLE)}"}
    assert refusals_of_bad_pages(client, Conformance.of(app), headers) == []


def test_every_path_refuses_other_methods_with_a_problem_naming_those_allowed(client, app):
    assert refusals_of_other_methods(client, Conformance.of(app)) == []


def test_every_documented_refusal_is_a_problem_document(app):
    assert undocumented_refusals(Conformance.of(app)) == []


def test_every_text_field_parameter_and_id_refuses_control_characters(client, app, make_token):
    headers = {"Authorization": f"Bearer {make_token('user-1', 'adm-1', EVERY_ROLE)}"}
    assert refusals_of_unsafe_text(client, Conformance.of(app), headers) == []
