"""Prometheus metrics of the API: requests by route and status, and the outbox backlog.

With several API worker processes, set PROMETHEUS_MULTIPROC_DIR and every process's
counters are aggregated at scrape time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

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


def count_requests(requests: Iterable[tuple[str, str, int, float]]) -> None:
    """Count answered requests, each as (method, route pattern, status, seconds)."""
    answered: dict[tuple[str, str, int], int] = {}
    latencies: dict[tuple[str, str], Histogram] = {}
    for method, route, status, seconds in requests:
        answered[method, route, status] = answered.get((method, route, status), 0) + 1
        latency = latencies.get((method, route))
        if latency is None:
            latency = latencies[method, route] = LATENCY.labels(method, route)
        latency.observe(seconds)
    for (method, route, status), count in answered.items():
        REQUESTS.labels(method, route, str(status)).inc(count)


def exposition() -> tuple[bytes, str]:
    registry = REGISTRY
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST
