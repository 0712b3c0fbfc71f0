"""gunicorn's settings for IEP Right, read from this folder: `gunicorn iepright.wsgi`.

Sync workers by default: each process serves one request at a time, and a reverse proxy in
front (README "Deploying") buffers slow phones. Measured with `python -m bench checkin`
(bench/README.md, 2 workers, 16 connections, 1M entries), sync workers recorded more check-ins
than 2, 4 or 8 threads per worker did, with a lower p99 (8 threads: SQLite 1,036/s, p99 50 ms
against 1,237/s, 23 ms; PostgreSQL 591/s, 91 ms against 715/s, 34 ms), and pages that wait on
SQLite's write lock do not pile up threads behind it.

GUNICORN_THREADS above 1 runs threaded workers instead; on SQLite they then hand new check-ins
to one writer thread per process, several to a commit (GROUP_COMMIT, iepright/groupcommit.py),
unless GROUP_COMMIT is set. Each setting can also be given on gunicorn's command line.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
if threads > 1 and not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("GROUP_COMMIT", "1")  # read by the workers' settings
# Bodies and headers are never logged (no PII in logs); the access log is off by default.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def worker_exit(server: object, worker: object) -> None:
    """Answer the check-ins already queued for the group commit before the worker goes."""
    from iepright import groupcommit

    groupcommit.shutdown()
