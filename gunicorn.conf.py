"""gunicorn's settings for IEP Right, read from this folder: `gunicorn iepright.wsgi`.

Threaded workers: a parent's check-in waits on the database's durable commit, and while it
waits the worker serves others; check-ins arriving together share one commit
(iepright/groupcommit.py). Measured with `python -m bench checkin` (bench/README.md).
Each setting can be changed by the environment or on the command line.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Bodies and headers are never logged (no PII in logs); the access log is off by default.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def worker_exit(server: object, worker: object) -> None:
    """Answer the check-ins already queued for the group commit before the worker goes."""
    from iepright import groupcommit

    groupcommit.shutdown()
