"""Image uploads: verify with Pillow, re-encode without metadata, write renditions.

An upload is read into memory within a size limit, identified by its content (never its
name), checked against decompression bombs, verified, then decoded afresh and re-encoded as
WebP and JPEG renditions (320, 640, 1280 px wide, never upscaled). Nothing of the original
file is kept, so EXIF and GPS data are gone. Files go to ``MEDIA_DIR/<key>/`` through a
temporary folder that is renamed into place only when every rendition is written: a refusal
or a crash leaves nothing behind. ``/media/<key>/<name>`` serves them.
"""
from __future__ import annotations

import io
import json
import re
import secrets
import shutil
import time
import warnings
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from flask import Blueprint, abort, current_app, send_from_directory
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from . import permissions as perm
from .models import User

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is plenty; beyond that is a bomb for us
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
WIDTHS = (320, 640, 1280)
KEY_RE = re.compile(r"^[a-f0-9]{32}$")
NAME_RE = re.compile(r"^w[0-9]{1,4}\.(webp|jpg)$")

media = Blueprint("media", __name__)


class ImageRejected(ValueError):
    """An upload that is not a usable image; ``message`` is for the editor (Vietnamese)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def media_dir() -> Path:
    return Path(current_app.config["MEDIA_DIR"])


def _read_limited(stream: IO[bytes], limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ImageRejected(_("Ảnh quá lớn: tối đa %(mb)s MB.", mb=limit // (1024 * 1024)))
    if not data:
        raise ImageRejected(_("Tệp ảnh trống."))
    return data


def _open_checked(data: bytes) -> Image.Image:
    """Open, identify by content, refuse bombs, verify, then reopen and decode."""
    wrong_type = _("Chỉ nhận ảnh JPEG, PNG hoặc WebP; tệp này không phải ảnh hợp lệ.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise ImageRejected(wrong_type)
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ImageRejected(_("Ảnh có quá nhiều điểm ảnh (tối đa 40 triệu); hãy thu nhỏ rồi tải lên lại."))
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(_("Ảnh có quá nhiều điểm ảnh (tối đa 40 triệu); hãy thu nhỏ rồi tải lên lại.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ImageRejected(wrong_type) from None
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """An RGB copy (transparent areas on white), upright, with no metadata."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = image.convert("RGB")
    clean = Image.new("RGB", flat.size)
    clean.paste(flat)
    return clean


def _widths(original: int) -> list[int]:
    widths = [w for w in WIDTHS if w <= original]
    return widths or [original]


def store_upload(actor: User | None, stream: IO[bytes], alt: str, limit: int = MAX_BYTES) -> dict[str, Any]:
    """Check and store one uploaded image; return the image dict for an item's ``images``."""
    perm.require(perm.can_upload_image(actor), "upload")
    alt = (alt or "").strip()
    if not alt:
        raise ImageRejected(_("Hãy nhập mô tả ảnh (alt) cho người không xem được ảnh."))
    image = _flatten(_open_checked(_read_limited(stream, limit)))
    root = media_dir()
    root.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(16)
    staging = root / f".upload-{key}"
    staging.mkdir()
    try:
        widths = _widths(image.width)
        for width in widths:
            height = max(1, round(image.height * width / image.width))
            scaled = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
            scaled.save(staging / f"w{width}.webp", "WEBP", quality=80, method=4)
            scaled.save(staging / f"w{width}.jpg", "JPEG", quality=82, optimize=True, progressive=True)
        staging.rename(root / key)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    largest = widths[-1]
    return {
        "src": f"/media/{key}/w{largest}.jpg",
        "alt": alt,
        "renditions": _renditions(key, widths),
        "width": largest,
        "height": max(1, round(image.height * largest / image.width)),
    }


def _renditions(key: str, widths: list[int]) -> dict[str, str]:
    """Two readings of the same files: a ready ``srcset`` per format ("webp", "jpeg"), and
    each width's JPEG by its width ("320": src), which the public pages build ``srcset`` from."""
    out = {fmt: ", ".join(f"/media/{key}/w{w}.{ext} {w}w" for w in widths)
           for fmt, ext in (("webp", "webp"), ("jpeg", "jpg"))}
    out.update({str(w): f"/media/{key}/w{w}.jpg" for w in widths})
    return out


SRC_RE = re.compile(r"^/media/([a-f0-9]{32})/w([0-9]{1,4})\.jpg$")


def describe(src: str) -> dict[str, Any] | None:
    """The image dict of an upload stored earlier, from its ``src``; None if it is not there."""
    match = SRC_RE.match(src or "")
    if not match:
        return None
    key = match.group(1)
    folder = media_dir() / key
    if not folder.is_dir():
        return None
    widths = sorted(int(path.stem[1:]) for path in folder.glob("w*.jpg") if path.stem[1:].isdigit())
    if not widths:
        return None
    with Image.open(folder / f"w{widths[-1]}.jpg") as largest:
        width, height = largest.size
    return {
        "src": f"/media/{key}/w{widths[-1]}.jpg", "alt": "",
        "renditions": _renditions(key, widths), "width": width, "height": height,
    }


REFERENCE_RE = re.compile(r"/media/([a-f0-9]{32})/")


def referenced_keys() -> set[str]:
    """Upload keys any item, revision or kept (refused) edit still mentions."""
    from ..extensions import db
    from .models import CONTENT_MODELS, AuditEntry, Revision

    keys: set[str] = set()

    def scan(value: Any) -> None:
        keys.update(REFERENCE_RE.findall(json.dumps(value)))

    for model in CONTENT_MODELS.values():
        for images in db.session.execute(db.select(model.images)).scalars():
            scan(images)
    for data in db.session.execute(db.select(Revision.data)).scalars():
        scan(data.get("images") if isinstance(data, dict) else data)
    for detail in db.session.execute(db.select(AuditEntry.detail).filter_by(action="edit.refused_stale")).scalars():
        scan(detail)
    return keys


def prune(older_than: timedelta, dry_run: bool = False) -> list[str]:
    """Delete uploads no item, revision or kept edit refers to (and crash leftovers), once
    they are older than ``older_than``; return the folder names removed (or that would be)."""
    root = media_dir()
    if not root.is_dir():
        return []
    cutoff = time.time() - older_than.total_seconds()
    keep = referenced_keys()
    removed = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.stat().st_mtime > cutoff:
            continue
        leftover = folder.name.startswith(".upload-")
        if leftover or (KEY_RE.match(folder.name) and folder.name not in keep):
            removed.append(folder.name)
            if not dry_run:
                shutil.rmtree(folder, ignore_errors=True)
    return removed


@media.route("/media/<key>/<name>")
def serve(key: str, name: str):
    """Serve one rendition; only names this module writes, only from MEDIA_DIR."""
    if not KEY_RE.match(key) or not NAME_RE.match(name):
        abort(404)
    response = send_from_directory(media_dir() / key, name, max_age=365 * 24 * 3600)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
