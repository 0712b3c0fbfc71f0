"""gunicorn's settings for IEP Right, read from this folder: `gunicorn iepright.wsgi`.

Sync workers by default: each process serves one request at a time, and a reverse proxy in
front (README "Deploying") buffers slow phones. They record check-ins at least as fast as
threaded workers with a lower p99 (bench/README.md), and a page waiting for SQLite's one writer
holds up only its own process. GUNICORN_THREADS above 1 runs threaded workers instead. Each
setting can also be given on gunicorn's command line.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# Bodies and headers are never logged (no PII in logs); the access log is off by default.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
