"""Small, valid image files for upload tests (uploads are decoded, not only sniffed)."""

from __future__ import annotations

import io

from PIL import Image


def image(fmt: str, size: tuple[int, int] = (4, 3)) -> bytes:
    """Return a small image in `fmt` ("PNG", "JPEG", "GIF" or "WEBP")."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 60, 40)).save(out, format=fmt)
    return out.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")
