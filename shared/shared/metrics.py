"""Prometheus metrics: request counts and latency per endpoint, plus service-specific gauges."""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence

import redis
from flask import Flask, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from shared.bus import dlq_name

_BUCKETS = (0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_BOUNDS = (
    *(str(bound) for bound in _BUCKETS),
    "+Inf",
)  # the "le" labels, as Prometheus writes them
_SUM = len(_BUCKETS) + 1  # a series: a count per bucket, the overflow (+Inf) one, then the sum


class Metrics:
    """A service's metrics registry (one per app, so test apps do not collide)."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.service = service
        self.requests = RequestStats(service)
        self.registry.register(self.requests)

    def observe(self, method: str, endpoint: str, status: int, seconds: float) -> None:
        """Count one request and its duration."""
        self.requests.observe(method, endpoint, status, seconds)

    def gauge(self, name: str, documentation: str, read: Callable[[], dict[str, float]]) -> None:
        """Expose ``read()`` (label value -> number) as a gauge computed at scrape time."""
        self.registry.register(_CallbackGauge(name, documentation, read))


class RequestStats(Collector):
    """``http_requests_total`` and ``http_request_duration_seconds``, kept as plain numbers.

    Counting is a bucket search and two additions under a lock; the Prometheus families are
    built only when ``/metrics`` is scraped (a prometheus_client counter and histogram child
    per request cost several times that on every request).
    """

    def __init__(self, service: str) -> None:
        self.service = service
        self._lock = threading.Lock()
        self._series: dict[tuple[str, str, int], list[float]] = {}

    def observe(self, method: str, endpoint: str, status: int, seconds: float) -> None:
        """Count one request of ``(method, endpoint, status)`` that took ``seconds``."""
        key = (method, endpoint, status)
        with self._lock:
            series = self._series.get(key)
            if series is None:
                series = self._series[key] = [0.0] * (_SUM + 1)
            series[bisect_left(_BUCKETS, seconds)] += 1  # the first bound >= seconds ("le")
            series[_SUM] += seconds

    def collect(self) -> Iterator[Metric]:
        """Build the two families from a snapshot of the series."""
        with self._lock:
            snapshot = {key: list(series) for key, series in self._series.items()}
        requests = CounterMetricFamily(
            "http_requests", "HTTP requests", labels=["service", "method", "endpoint", "status"]
        )
        latency: dict[tuple[str, str], list[float]] = {}
        for (method, endpoint, status), series in sorted(snapshot.items()):
            requests.add_metric([self.service, method, endpoint, str(status)], sum(series[:_SUM]))
            merged = latency.setdefault((method, endpoint), [0.0] * (_SUM + 1))
            for index, value in enumerate(series):
                merged[index] += value
        yield requests
        histogram = HistogramMetricFamily(
            "http_request_duration_seconds",
            "HTTP request latency",
            labels=["service", "method", "endpoint"],
        )
        for (method, endpoint), series in latency.items():
            cumulative, buckets = 0.0, []
            for bound, count in zip(_BOUNDS, series[:_SUM], strict=True):
                cumulative += count
                buckets.append((bound, cumulative))
            histogram.add_metric([self.service, method, endpoint], buckets, series[_SUM])
        yield histogram


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
    """Create the service's metrics (``app.extensions["metrics"]``) and serve ``/metrics``.

    Requests are counted by the shared request hooks (``shared.web``), which call
    ``Metrics.observe``.
    """
    metrics = Metrics(service)
    app.extensions["metrics"] = metrics

    def metrics_view() -> Response:
        return Response(
            generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    app.add_url_rule("/metrics", "metrics", metrics_view)
    return metrics


def register_event_gauges(
    metrics: Metrics, client: redis.Redis, service: str, groups: Sequence[tuple[str, str]]
) -> None:
    """Register ``<service>_events_pending`` (delivered, unacknowledged events per stream and
    consumer group) and ``<service>_events_dead_letters`` (length of each dead-letter stream)."""

    def pending() -> dict[str, float]:
        values: dict[str, float] = {}
        for stream, group in groups:
            try:
                summary = client.xpending(stream, group)
            except redis.ResponseError:  # stream or group not created yet
                summary = {"pending": 0}
            values[f"{stream}/{group}"] = float(summary["pending"])
        return values

    def dead_letters() -> dict[str, float]:
        names = sorted({dlq_name(stream) for stream, _group in groups})
        return {name: float(client.xlen(name)) for name in names}

    metrics.gauge(
        f"{service}_events_pending",
        "Events delivered to a consumer group and not yet acknowledged",
        pending,
    )
    metrics.gauge(
        f"{service}_events_dead_letters",
        "Events consumer groups gave up on, waiting in each dead-letter stream",
        dead_letters,
    )
