"""The import contracts in pyproject.toml hold, and they do break on a forbidden import."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from tests.processes import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,  # lint-imports reads ./pyproject.toml and imports the package from here first
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_tree_keeps_every_contract():
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in done.stdout


def test_the_rules_may_import_no_other_module_of_the_package():
    # A new package or module must be added to the forbidden list, or the rules could use it.
    others = {
        f"iepright.{module.name}"
        for module in pkgutil.iter_modules([str(ROOT / "iepright")])
        if module.name != "rules"
    }
    forbidden = set(_contracts()["pure-rules"]["forbidden_modules"])
    assert others - forbidden == set()
    assert {"django", "ninja"} <= forbidden


def test_a_forbidden_import_breaks_the_contracts(tmp_path):
    shutil.copytree(
        ROOT / "iepright",
        tmp_path / "iepright",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "locale", "fonts"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    models = tmp_path / "iepright" / "plans" / "models.py"
    models.write_text(models.read_text() + "\nimport iepright.logbook  # forbidden\n")
    lateness = tmp_path / "iepright" / "rules" / "lateness.py"
    lateness.write_text(lateness.read_text() + "\nimport django  # forbidden\n")

    done = _lint_imports(tmp_path)

    assert done.returncode == 1, done.stdout[-3000:]
    assert "iepright.plans.models -> iepright.logbook" in done.stdout
    assert "iepright.rules.lateness -> django" in done.stdout
    assert "iepright.plans never imports iepright.logbook BROKEN" in done.stdout
    assert "iepright.rules imports no Django and no other part of the app BROKEN" in done.stdout
