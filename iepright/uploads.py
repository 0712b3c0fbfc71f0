"""Checking and storing uploaded files: the signed IEP copy now, evidence photos later.

A file's type is decided by its first bytes, never by its name or the browser's Content-Type,
so a program renamed to .jpg or .pdf is refused. Files are stored under a random name; the
original name, size, type and SHA-256 are kept beside the record.
"""

from __future__ import annotations

import hashlib
import io
import math
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Magic numbers of the types we accept, longest prefix first.
SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
}
# What a reader calls each accepted type, in their language (never a raw MIME type).
KIND_NAMES = {
    "application/pdf": gettext_lazy("PDF"),
    "image/png": gettext_lazy("PNG image"),
    "image/jpeg": gettext_lazy("JPEG image"),
    "image/gif": gettext_lazy("GIF image"),
    "image/webp": gettext_lazy("WebP image"),
    "image/heic": gettext_lazy("HEIC photo (iPhone)"),
}


def kind_name(mime: str) -> str:
    """Return the reader's name for a file type, e.g. "PNG image" for image/png."""
    return str(KIND_NAMES.get(mime, mime))


# Images whose structure is read before they are kept, so a file that only starts with an
# image's signature (a page or a program behind the first bytes) is refused. HEIC photos
# cannot be decoded here and PDFs are kept as sent: their outline is checked instead.
DECODABLE = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def _image_reads(data: bytes) -> bool:
    """Return whether Pillow reads the image's structure (headers, and PNG's checksums)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def _pdf_outline_holds(data: bytes) -> bool:
    """Return whether the PDF ends as a PDF does: `startxref`, then `%%EOF` in its last 1,024
    bytes (where readers look for it, ISO 32000-1 §7.5.5 and Adobe's implementation note).
    A file cut short in the upload, or a program given a PDF's first bytes, has neither."""
    tail = data[-1024:]
    end = tail.rfind(b"%%EOF")
    return end >= 0 and data.rfind(b"startxref", 0, len(data) - len(tail) + end) >= 0


def _heif_boxes_hold(data: bytes) -> bool:
    """Return whether the file is a whole ISO base media file (ISO/IEC 14496-12 §4.2): boxes
    that tile it exactly, starting with `ftyp`, with the `meta` box that holds a HEIF image's
    description. A cut-off photo or anything appended to one does not tile."""
    offset, kinds = 0, []
    while offset < len(data):
        if len(data) - offset < 8:
            return False
        size = int.from_bytes(data[offset : offset + 4], "big")
        kinds.append(data[offset + 4 : offset + 8])
        if size == 1:  # a 64-bit size follows the type
            if len(data) - offset < 16:
                return False
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
            if size < 16:
                return False
        elif size == 0:  # the last box runs to the end of the file
            size = len(data) - offset
        elif size < 8:
            return False
        if offset + size > len(data):
            return False
        offset += size
    return kinds[:1] == [b"ftyp"] and b"meta" in kinds


# Checks of structure by type, after the signature: a file failing one is refused.
STRUCTURE = {
    **dict.fromkeys(DECODABLE, _image_reads),
    "application/pdf": _pdf_outline_holds,
    "image/heic": _heif_boxes_hold,
}


def sniff_type(head: bytes) -> str | None:
    """Return the MIME type that the file's first bytes show, or None if unrecognised."""
    for magic, mime in SIGNATURES:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypheim"):
        return "image/heic"
    return None


@dataclass(frozen=True)
class CheckedUpload:
    content: ContentFile[bytes]
    original_name: str
    size: int
    sha256: str
    content_type: str
    storage_name: str


def check_upload(
    upload: UploadedFile[bytes], *, allowed: set[str], field: str, max_bytes: int | None = None
) -> CheckedUpload:
    """Return the upload's checked content; raise ValidationError naming `field` otherwise."""
    limit = max_bytes if max_bytes is not None else settings.MAX_UPLOAD_MB * 1024 * 1024
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if size > limit:
        raise ValidationError(
            {
                field: _("The file is %(size)s MB; the limit is %(limit)s MB.")
                # Rounded up, so that a file just over the limit never reads as the limit.
                % {
                    "size": f"{math.ceil(size * 10 / 1_048_576) / 10:.1f}",
                    "limit": f"{limit / 1_048_576:g}",
                }
            }
        )
    digest = hashlib.sha256()
    chunks: list[bytes] = []
    for chunk in upload.chunks():
        digest.update(chunk)
        chunks.append(chunk)
    data = b"".join(chunks)
    mime = sniff_type(data[:16])
    if mime not in allowed:
        wanted = ", ".join(sorted((kind_name(m) for m in allowed), key=str.casefold))
        raise ValidationError(
            {field: _("This file is not an accepted type (%(wanted)s).") % {"wanted": wanted}}
        )
    assert mime is not None
    if not STRUCTURE[mime](data):
        raise ValidationError(
            {
                field: _(
                    "This file starts like a %(kind)s but is damaged or is not really one. "
                    "Take the photo or export the file again."
                )
                % {"kind": kind_name(mime)}
            }
        )
    original = (upload.name or "upload").rsplit("/", 1)[-1][:200]
    return CheckedUpload(
        content=ContentFile(data),
        original_name=original,
        size=len(data),
        sha256=digest.hexdigest(),
        content_type=mime,
        storage_name=f"{uuid.uuid4().hex}.{EXTENSIONS[mime]}",
    )
