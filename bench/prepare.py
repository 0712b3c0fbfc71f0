"""The steps that run inside Django, one subprocess per database (settings load once a process).

`python -m bench _prepare …` migrates, creates or empties the reference insert's table
(bench/urls.py), generates the data set when it is missing (or made with other parameters),
deletes what earlier runs wrote, and writes the check-in targets file.
`python -m bench _verify …` re-walks the hash chains of children the benchmark wrote to.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

STALE = 3  # exit status: the database holds another data set; the caller recreates it


def _setup() -> None:
    import django

    django.setup()


def prepare(*, target: int, households: int, seed: int, targets_path: Path) -> None:
    _setup()
    from django.core.management import call_command

    from bench import data

    today = date.today()
    call_command("migrate", interactive=False, verbosity=0)
    from bench.urls import create_insert_table

    create_insert_table()
    meta: dict[str, Any] = data.read_meta()
    layout = data.Layout.for_today(today)
    wanted = {
        "target": target,
        "households": households,
        "seed": seed,
        "current_start": layout.current_start.isoformat(),
    }
    if meta and any(meta.get(k) != v for k, v in wanted.items()):
        print(f"the database holds another data set ({meta}); rebuilding", file=sys.stderr)
        sys.exit(STALE)
    if not meta:
        from iepright.accounts.models import User

        if User.objects.exists():
            sys.exit(STALE)
        print(f"generating {target:,} entries for {households} households…", file=sys.stderr)
        meta = data.generate(target=target, households=households, seed=seed, today=today)
        print(f"generated {meta['entries']:,} entries in {meta['seconds']} s", file=sys.stderr)
    else:
        removed = data.reset(meta)
        print(
            f"reusing the data set ({meta['entries']:,} entries); removed {removed:,} "
            "entries written by earlier runs",
            file=sys.stderr,
        )
    meta["check_ins_available"] = data.write_targets(targets_path, meta, today)
    print(json.dumps(meta))


def verify(*, sample: int) -> None:
    _setup()
    from bench import data
    from iepright.logbook.models import EntryRevision
    from iepright.logbook.verify import verify_child
    from iepright.plans.models import Child

    meta = data.read_meta()
    written = (
        EntryRevision.objects.filter(id__gt=meta["max_revision_id"])
        .values_list("child_id", flat=True)
        .distinct()
    )
    ids = sorted(set(written))[:sample]
    results = [verify_child(child) for child in Child.objects.filter(id__in=ids)]
    broken = [r for r in results if not r.ok]
    print(
        json.dumps(
            {
                "children": len(results),
                "revisions": sum(r.revisions for r in results),
                "ok": not broken,
                "first_problem": broken[0].reason if broken else "",
            }
        )
    )
