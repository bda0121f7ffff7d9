"""Prometheus metrics: request counts and latency per endpoint, plus service-specific gauges."""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

_BUCKETS = (0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """A service's metrics registry (one per app, so test apps do not collide)."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests",
            ["service", "method", "endpoint", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["service", "method", "endpoint"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.service = service

    def gauge(self, name: str, documentation: str, read: Callable[[], dict[str, float]]) -> None:
        """Expose ``read()`` (label value -> number) as a gauge computed at scrape time."""
        self.registry.register(_CallbackGauge(name, documentation, read))


class _CallbackGauge(Collector):
    def __init__(self, name: str, documentation: str, read: Callable[[], dict[str, float]]):
        self.name = name
        self.documentation = documentation
        self.read = read

    def collect(self) -> list[GaugeMetricFamily]:
        family = GaugeMetricFamily(self.name, self.documentation, labels=["name"])
        try:
            values = self.read()
        except Exception:  # a scrape must not fail because one dependency is down
            values = {}
        for label, value in values.items():
            family.add_metric([label], value)
        return [family]


def init_metrics(app: Flask, service: str) -> Metrics:
    """Count and time every request; serve ``/metrics``."""
    metrics = Metrics(service)
    app.extensions["metrics"] = metrics

    @app.before_request
    def _start_timer() -> None:
        g.started_at = time.perf_counter()

    # (method, endpoint, status) -> its counter and histogram: labels() costs more than counting
    children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    @app.after_request
    def _record(response: Response) -> Response:
        started = g.get("started_at")
        if started is not None:
            endpoint = request.url_rule.rule if request.url_rule else "unmatched"
            key = (request.method, endpoint, response.status_code)
            pair = children.get(key)
            if pair is None:
                pair = children[key] = (
                    metrics.requests.labels(service, *key),
                    metrics.latency.labels(service, key[0], key[1]),
                )
            pair[0].inc()
            pair[1].observe(time.perf_counter() - started)
        return response

    def metrics_view() -> Response:
        return Response(
            generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    app.add_url_rule("/metrics", "metrics", metrics_view)
    return metrics
