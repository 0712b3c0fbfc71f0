"""The app's own settings, plus a URLconf with a no-op view for the baseline (bench/urls.py).

Everything else — database, WAL, synchronous=FULL, CONN_MAX_AGE, middleware — is exactly what
production runs, so the benchmark measures the app as deployed.
"""

from iepright.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
