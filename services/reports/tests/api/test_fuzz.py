"""A bounded fuzzing run of the reports API: no server error, nothing the document does not say."""

import pytest

from shared.fuzzing import fuzz, summary


# The run grows with the API (examples x operations): the suite's 120 s guard against a hang
# would cut it short on a busy machine.
@pytest.mark.timeout(600)
def test_fuzzing_the_document_finds_no_server_error_and_no_contract_break(app, auth, make_report):
    app.config.update(REPORTS_SSE_MAX_AGE_S=0.05, REPORTS_SSE_HEARTBEAT_S=0.02)
    make_report()
    runs = fuzz(app, headers=auth())
    report = summary("reports", runs)
    print(report)
    assert sum(run.requests for run in runs) > len(runs), report
    assert [failure for run in runs for failure in run.failures] == [], report
