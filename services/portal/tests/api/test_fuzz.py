"""A bounded fuzzing run of the portal API (accounts, keys, catalogue) as an operator and as an
editor: no server error, nothing the document does not say."""

import pytest

from shared.fuzzing import fuzz, summary


# The run grows with the API (examples x operations): the suite's 120 s guard against a hang
# would cut it short on a busy machine.
@pytest.mark.timeout(600)
@pytest.mark.parametrize("email", ["operator@demo.example", "editor@demo.example"])
def test_fuzzing_the_document_finds_no_server_error_and_no_contract_break(app, demo, login, email):
    runs = fuzz(
        app,
        headers=login(email),
        known={"administration_id": demo["demo"]},
        # A valid request naming a tag or region the vocabulary lacks, an account that is not the
        # administration's, fields its kind does not take, a forum category that does not exist
        # a quoted post of another thread or a catalogue item not published.
        state_dependent={
            "item_rules_failed",
            "unknown_region",
            "unknown_contact_user",
            "unknown_category",
            "unknown_quoted_post",
            "unknown_item",
        },
    )
    report = summary(f"portal as {email}", runs)
    print(report)
    assert sum(run.requests for run in runs) > len(runs), report
    assert [failure for run in runs for failure in run.failures] == [], report
