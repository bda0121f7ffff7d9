"""A report can be asked for in any language of the platform's list, Portuguese included."""

URL = "/api/v1/reports/reports"


def test_a_report_can_be_built_again_in_portuguese(client, auth, make_report, redis_client):
    job = make_report()
    created = client.post(f"{URL}/{job.id}/regenerate", json={"language": "pt"}, headers=auth())
    assert created.status_code == 202
    assert created.json["language"] == "pt"
    assert redis_client.llen("reports") == 1


def test_a_language_outside_the_list_is_refused(client, auth, make_report):
    job = make_report()
    refused = client.post(f"{URL}/{job.id}/regenerate", json={"language": "de"}, headers=auth())
    assert refused.status_code == 422
