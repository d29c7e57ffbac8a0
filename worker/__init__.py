"""The Celery side of Digis: the app, the async task runtime, the tasks and beat.

Prometheus' multiprocess mode must be chosen before prometheus_client is first imported,
so every worker process (main and forked children) writes its counters to one folder.
"""

import os
import tempfile

os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="digis-worker-metrics-"))
