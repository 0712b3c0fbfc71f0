"""The app's own settings, plus a URLconf with the benchmark's reference views (bench/urls.py).

Everything the app uses — database, WAL, synchronous=FULL, CONN_MAX_AGE, middleware — is exactly
what production runs, so the benchmark measures the app as deployed. The one addition is a second
connection to the same database, `UNSYNCED`, whose commits do not wait for the disk; only
`POST /bench/insert-unsynced` uses it, to show what a write would cost without durability.
"""

from copy import deepcopy

from iepright.settings import *  # noqa: F403
from iepright.settings import DATABASES

ROOT_URLCONF = "bench.urls"
UNSYNCED = "unsynced"


def _unsynced(default: dict[str, object]) -> dict[str, object]:
    """Return `default` with commits that return before the disk has the data."""
    config = deepcopy(default)
    options = config.setdefault("OPTIONS", {})
    assert isinstance(options, dict)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        init = str(options.get("init_command", ""))
        options["init_command"] = init.replace("synchronous=FULL", "synchronous=OFF")
        if "synchronous=OFF" not in options["init_command"]:
            raise RuntimeError("bench/settings.py: the SQLite init_command no longer sets FULL")
    else:
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
    return config


DATABASES[UNSYNCED] = _unsynced(DATABASES["default"])
