#!/bin/sh
# Collect every translatable string into iepright/locale/es and compile it.
# Needs GNU gettext (apt-get install gettext). Django's makemessages has no --keyword option,
# so the N_() marker used by the pure rules (iepright/rules/logdata.py) is added to the
# xgettext options of the stock command here rather than through a custom command module.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
export DEBUG="${DEBUG:-1}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-iepright.settings}"
"$PYTHON" - <<'PY'
import django
from django.core.management import call_command
from django.core.management.commands import makemessages

django.setup()
makemessages.Command.xgettext_options = [
    *makemessages.Command.xgettext_options,
    "--keyword=N_",
]
call_command(
    "makemessages",
    locale=["es"],
    ignore_patterns=[".venv", "var", "bench", "tests", "staticfiles", "node_modules"],
    verbosity=1,
)
PY
"$PYTHON" manage.py compilemessages -l es --ignore=.venv --ignore=var --ignore=bench --ignore=staticfiles -v 1
