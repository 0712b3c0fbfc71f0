"""Small, valid files for upload tests (uploads are read for their structure, not only sniffed)."""

from __future__ import annotations

import io

from PIL import Image
from reportlab.pdfgen import canvas


def image(fmt: str, size: tuple[int, int] = (4, 3)) -> bytes:
    """Return a small image in `fmt` ("PNG", "JPEG", "GIF" or "WEBP")."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 60, 40)).save(out, format=fmt)
    return out.getvalue()


def pdf(text: str = "Signed IEP, page 1") -> bytes:
    """Return a one-page PDF, as ReportLab writes it."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def box(kind: bytes, payload: bytes) -> bytes:
    """Return one ISO base media file box: 32-bit size, four-letter type, payload."""
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


# The outline of an iPhone photo: the file type, the image's description, the coded data.
# (No HEIF encoder is installed here; the upload check reads only this outline.)
HEIC = (
    box(b"ftyp", b"heic" + (0).to_bytes(4, "big") + b"mif1heic")
    + box(b"meta", (0).to_bytes(4, "big") + box(b"hdlr", bytes(8) + b"pict" + bytes(13)))
    + box(b"mdat", bytes(64))
)

PNG = image("PNG")
JPEG = image("JPEG")
PDF = pdf()
