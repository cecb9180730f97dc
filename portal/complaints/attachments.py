"""Files sent with a complaint: checked, cleaned, stored where only staff can fetch them.

Images go through the content image checks (`portal.content.images`: identified by content,
decompression bombs refused, verified, decoded) and are re-encoded as one JPEG of at most
2000 px without any metadata (EXIF and GPS are gone). PDFs are kept as sent after a size
check, the ``%PDF-`` magic bytes, and a sanity check of the page structure (a cross-reference,
an end-of-file marker, at least one page object); PDFs with scripts, launch actions or
embedded files are refused. Files live in PORTAL_COMPLAINT_FILES_DIR (default
``MEDIA_DIR/complaint-files``: inside the backup, outside anything served to the public — the
public media route only serves ``/media/<32 hex>/w<width>.(jpg|webp)``), under random names.
"""
from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image

from ..content.images import ImageRejected, _flatten, _open_checked

MAX_FILES = 5
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 2000
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
STORED_NAME_RE = re.compile(r"^[a-f0-9]{32}\.(jpg|pdf)$")
PDF_FORBIDDEN = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")
PDF_PAGE_RE = re.compile(rb"/Type\s*/Page(?!s)")


class AttachmentRejected(ValueError):
    """A file that cannot be kept; ``message`` is for the person (localised)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class CheckedFile:
    data: bytes
    extension: str  # "jpg" | "pdf"
    content_type: str
    original_name: str


def files_dir() -> Path:
    configured = current_app.config.get("COMPLAINT_FILES_DIR")
    return Path(configured) if configured else Path(current_app.config["MEDIA_DIR"]) / "complaint-files"


def _safe_name(name: str) -> str:
    name = Path((name or "").replace("\\", "/")).name
    return "".join(char for char in name if char.isprintable())[:200]


def _read(stream: IO[bytes], name: str) -> bytes:
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise AttachmentRejected(_("Tệp “%(name)s” quá lớn: mỗi tệp tối đa %(mb)s MB.",
                                   name=name, mb=MAX_FILE_BYTES // (1024 * 1024)))
    if not data:
        raise AttachmentRejected(_("Tệp “%(name)s” trống.", name=name))
    return data


def check_pdf(data: bytes, name: str) -> None:
    """Refuse what is not a plausible, inert PDF."""
    not_pdf = _("Tệp “%(name)s” không phải tệp PDF hợp lệ.", name=name)
    if not data.startswith(b"%PDF-1.") and not data.startswith(b"%PDF-2."):
        raise AttachmentRejected(not_pdf)
    tail = data[-2048:]
    if b"%%EOF" not in tail or (b"startxref" not in tail and b"/XRef" not in data):
        raise AttachmentRejected(not_pdf)
    if not PDF_PAGE_RE.search(data):
        raise AttachmentRejected(not_pdf)
    if any(marker in data for marker in PDF_FORBIDDEN):
        raise AttachmentRejected(_("Tệp “%(name)s” chứa mã lệnh hoặc tệp nhúng nên không được nhận. "
                                   "Hãy in ra PDF thường hoặc chụp ảnh tài liệu.", name=name))


def _image_jpeg(data: bytes, name: str) -> bytes:
    try:
        image = _flatten(_open_checked(data))
    except ImageRejected:
        raise AttachmentRejected(_("Tệp “%(name)s” không phải ảnh JPEG, PNG, WebP hay tệp PDF hợp lệ.",
                                   name=name)) from None
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def check(stream: IO[bytes], filename: str) -> CheckedFile:
    """Read and check one upload (by its content, never its name or declared type)."""
    name = _safe_name(filename) or "tep"
    data = _read(stream, name)
    if data.startswith(b"%PDF-"):
        check_pdf(data, name)
        return CheckedFile(data, "pdf", "application/pdf", name)
    return CheckedFile(_image_jpeg(data, name), "jpg", "image/jpeg", name)


def store(checked: CheckedFile) -> str:
    """Write a checked file under a random name; returns the name."""
    folder = files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{checked.extension}"
    temporary = folder / f".{stored}.part"
    temporary.write_bytes(checked.data)
    temporary.rename(folder / stored)
    return stored


def path_of(stored_name: str) -> Path | None:
    if not STORED_NAME_RE.match(stored_name or ""):
        return None
    path = files_dir() / stored_name
    return path if path.is_file() else None


def remove(stored_name: str) -> None:
    path = path_of(stored_name)
    if path is not None:
        path.unlink(missing_ok=True)
