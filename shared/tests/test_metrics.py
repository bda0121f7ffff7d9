"""Request metrics: what ``/metrics`` exposes after real requests, and the histogram's buckets."""

from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from shared.metrics import RequestStats


def _samples(text):
    return [sample for family in text_string_to_metric_families(text) for sample in family.samples]


def test_metrics_count_requests_by_route_template_and_status(probe_app):
    client = probe_app.test_client()
    for number in (1, 2):
        assert client.post(f"/api/v1/probe/echo/{number}", json={"n": number}).status_code == 200
    assert client.post("/api/v1/probe/echo/3", json={}).status_code == 422
    assert client.get("/nowhere").status_code == 404

    samples = _samples(client.get("/metrics").get_data(as_text=True))

    def value(name, **labels):
        found = [s.value for s in samples if s.name == name and labels.items() <= s.labels.items()]
        assert len(found) == 1, (name, labels, found)
        return found[0]

    echo = {"service": "probe", "method": "POST", "endpoint": "/api/v1/probe/echo/<int:number>"}
    assert value("http_requests_total", status="200", **echo) == 2
    assert value("http_requests_total", status="422", **echo) == 1
    assert value("http_requests_total", endpoint="unmatched", status="404") == 1
    assert value("http_request_duration_seconds_count", **echo) == 3
    assert value("http_request_duration_seconds_bucket", le="+Inf", **echo) == 3
    assert value("http_request_duration_seconds_sum", **echo) > 0
    buckets = [
        s.value
        for s in samples
        if s.name == "http_request_duration_seconds_bucket" and echo.items() <= s.labels.items()
    ]
    assert buckets == sorted(buckets)  # cumulative


def test_durations_fall_in_the_first_bucket_whose_bound_they_do_not_exceed():
    stats = RequestStats("probe")
    registry = CollectorRegistry()
    registry.register(stats)
    for seconds in (0.005, 0.0051, 0.3, 11.0):
        stats.observe("GET", "/x", 200, seconds)

    def bucket(le):
        return registry.get_sample_value(
            "http_request_duration_seconds_bucket",
            {"service": "probe", "method": "GET", "endpoint": "/x", "le": le},
        )

    assert bucket("0.005") == 1  # a bound is inclusive ("less or equal")
    assert bucket("0.01") == 2
    assert bucket("0.25") == 2
    assert bucket("0.5") == 3
    assert bucket("10.0") == 3
    assert bucket("+Inf") == 4
    assert registry.get_sample_value(
        "http_request_duration_seconds_sum", {"service": "probe", "method": "GET", "endpoint": "/x"}
    ) == sum((0.005, 0.0051, 0.3, 11.0))
