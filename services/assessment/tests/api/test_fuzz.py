"""A bounded fuzzing run of the assessment API: no server error, nothing the document does not
say, on ids that name nothing and on an assessment that exists."""

from shared.fuzzing import fuzz, summary


def test_fuzzing_the_document_finds_no_server_error_and_no_contract_break(app, auth, started):
    runs = fuzz(
        app,
        headers=auth(),
        known={"assessment_id": started, "key": "ai-ml-readiness", "version": "1.0"},
        # A valid request naming a framework, area or indicator that does not exist.
        state_dependent={"unknown_framework", "unknown_area", "unknown_indicator"},
    )
    report = summary("assessment", runs)
    print(report)
    assert sum(run.requests for run in runs) > len(runs), report
    assert [failure for run in runs for failure in run.failures] == [], report
