"""Prometheus metrics of the API: requests by route and status, and the outbox backlog.

With several API worker processes, set PROMETHEUS_MULTIPROC_DIR and every process's
counters are aggregated at scrape time.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

REQUESTS = Counter("digis_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "digis_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
OUTBOX_PENDING = Gauge(
    "digis_outbox_pending_jobs", "Outbox jobs not yet published", multiprocess_mode="max"
)
OUTBOX_OLDEST = Gauge(
    "digis_outbox_oldest_pending_seconds",
    "Age of the oldest unpublished outbox job",
    multiprocess_mode="max",
)
OUTBOX_FAILED = Gauge(
    "digis_outbox_failed_jobs", "Jobs that failed for good", multiprocess_mode="max"
)


RequestSeries = tuple[Counter, Histogram]  # the labelled children
_series: dict[tuple[str, str, int], RequestSeries] = {}


def count_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request under its route's pattern, status and latency."""
    series = _series.get((method, route, status))
    if series is None:  # looked up once: `labels()` takes a lock and builds the key
        series = _series[method, route, status] = (
            REQUESTS.labels(method, route, str(status)),
            LATENCY.labels(method, route),
        )
    series[0].inc()
    series[1].observe(seconds)


def exposition() -> tuple[bytes, str]:
    registry = REGISTRY
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST
