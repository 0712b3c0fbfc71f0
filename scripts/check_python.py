"""Fail early, in plain words, when the Python that would build the venv is too old."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 (runs under any python3)
    sys.exit(
        f"IEP Right needs Python 3.11 or newer; `python3` is {sys.version.split()[0]}. "
        "Run with PY=/path/to/python3.11 make ..."
    )
