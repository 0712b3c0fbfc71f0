"""Each report renders to PNG pages with poppler's pdftoppm, as a reader's viewer would.

Run with `--basetemp=/tmp/pdfs` to keep the PNGs and look at them: tables inside the margins,
long notes wrapped, Spanish characters drawn and emoji written by name.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PIL import Image

from iepright.reports.pdf import KINDS
from tests.reports.test_pdf_data import logged, render  # noqa: F401

PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (Debian's poppler-utils) is not installed")
@pytest.mark.parametrize("kind", KINDS)
def test_it_renders_every_page_to_png(logged, kind, tmp_path):  # noqa: F811
    assert PDFTOPPM is not None
    pdf = tmp_path / f"{kind}.pdf"
    pdf.write_bytes(render(kind, logged))
    result = subprocess.run(
        [PDFTOPPM, "-r", "70", "-png", str(pdf), str(tmp_path / kind)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    # poppler complains on stderr about fonts it cannot draw; there must be none.
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr, result.stderr
    pngs = sorted(tmp_path.glob(f"{kind}*.png"))
    assert pngs
    for png in pngs:
        with Image.open(png) as image:
            width, height = image.size
            assert (width, height) == (595, 770)  # US Letter at 70 dpi
            # Nothing is drawn in the outer 20 pixels (0.29 in) of the right edge.
            strip = image.convert("L").crop((width - 20, 0, width, height))
            darkest = strip.getextrema()[0]
            assert isinstance(darkest, int)
            assert darkest > 200, f"ink near the right edge of {png.name}"
