"""`manage.py report`: by id or full name; bad input fails clearly and writes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from iepright.plans.models import Child
from tests.clock import frozen
from tests.reports.test_pdf_data import flat, logged, pdf_text  # noqa: F401


def run(*args: str) -> str:
    out = io.StringIO()
    with frozen():
        call_command("report", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["compliance", "one-pager", "binder"])
def test_it_writes_each_kind_for_a_child_given_by_id(logged, kind, tmp_path):  # noqa: F811
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "report.pdf"
    message = run("--child", str(logged.child.public_id), "--kind", kind,
                  "--from", "2026-11-02", "--to", "2026-11-18", "--out", str(out))  # fmt: skip
    assert f"Wrote {out}" in message
    text = flat(pdf_text(out.read_bytes()))
    assert "Maya Alvarez" in text
    assert "2026-11-02 to 2026-11-18" in text
    assert list(out.parent.iterdir()) == [out]  # no temporary file left beside it


def test_it_finds_a_child_by_full_name(logged, tmp_path):  # noqa: F811
    out = tmp_path / "one.pdf"
    run("--child", "Maya Alvarez", "--kind", "one-pager", "--from", "2026-11-02",
        "--to", "2026-11-18", "--out", str(out), "--lang", "es")  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--kind": "summary"}, "--kind must be one of compliance, one-pager, binder"),
        ({"--from": "2026-13-01"}, "--from must be a date as YYYY-MM-DD"),
        ({"--to": "18/11/2026"}, "--to must be a date as YYYY-MM-DD"),
        ({"--to": "2026-11-01"}, "--to (2026-11-01) is before --from (2026-11-02)"),
        ({"--child": "Nobody Here"}, "No child is named 'Nobody Here'"),
        ({"--child": "6f1c1f0e-0000-4000-8000-000000000000"}, "No child with id"),
        ({"--lang": "fr"}, "--lang must be one of en, es"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(logged, tmp_path, change, message):  # noqa: F811
    folder = tmp_path / "out"
    folder.mkdir()
    options = {"--child": str(logged.child.public_id), "--kind": "compliance",
               "--from": "2026-11-02", "--to": "2026-11-18",
               "--out": str(folder / "report.pdf")}  # fmt: skip
    options.update(change)
    args = [part for pair in options.items() for part in pair]
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert message in str(raised.value)
    assert list(folder.iterdir()) == []


def test_it_asks_for_the_id_when_two_children_share_a_name(logged, tmp_path):  # noqa: F811
    Child.objects.create(household=logged.child.household, name="Maya Alvarez", state="TX")
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(CommandError, match="More than one child is named 'Maya Alvarez'"):
        run("--child", "Maya Alvarez", "--kind", "compliance", "--from", "2026-11-02",
            "--to", "2026-11-18", "--out", str(folder / "r.pdf"))  # fmt: skip
    assert list(folder.iterdir()) == []


def test_it_refuses_a_missing_output_folder(logged, tmp_path):  # noqa: F811
    with pytest.raises(CommandError, match="does not exist"):
        run("--child", "Maya Alvarez", "--kind", "compliance", "--from", "2026-11-02",
            "--to", "2026-11-18", "--out", str(tmp_path / "no" / "r.pdf"))  # fmt: skip
