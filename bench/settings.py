"""The app's own settings, plus a URLconf with the benchmark's reference views (bench/urls.py).

Everything the app uses — database, WAL, synchronous=FULL, CONN_MAX_AGE, middleware — is exactly
what production runs, so the benchmark measures the app as deployed.
"""

from iepright.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
