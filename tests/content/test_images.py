"""Image uploads: only real JPEG/PNG/WebP within limits, re-encoded without metadata."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from portal.content import images
from portal.content.permissions import PermissionDenied
from tests.admin.helpers import make_user


@pytest.fixture
def editor(app):
    return make_user("editor")


def media_files(app) -> list[Path]:
    root = Path(app.config["MEDIA_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def jpeg_with_gps(width: int = 1600, height: int = 900) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh bí mật"  # Make
    exif[0x8825] = {1: "N", 2: (20.0, 51.0, 0.0), 3: "E", 4: (106.0, 41.0, 0.0)}  # GPS: Hải Phòng
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def encoded(fmt: str, size=(800, 600), mode="RGB", **params) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, fmt, **params)
    return buffer.getvalue()


def test_jpeg_is_reencoded_without_exif_or_gps(app, editor):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the fixture really carries EXIF
    image = images.store_upload(editor, io.BytesIO(original), "Ảnh sản phẩm bị thu hồi")
    key = image["src"].split("/")[2]
    names = sorted(p.name for p in media_files(app))
    assert names == ["w1280.jpg", "w1280.webp", "w320.jpg", "w320.webp", "w640.jpg", "w640.webp"]
    for path in media_files(app):
        with Image.open(path) as stored:
            assert not stored.getexif(), path.name
            assert "exif" not in stored.info
            assert stored.width in (320, 640, 1280)
    assert image == {
        "src": f"/media/{key}/w1280.jpg", "alt": "Ảnh sản phẩm bị thu hồi", "width": 1280, "height": 720,
        "renditions": {"webp": f"/media/{key}/w320.webp 320w, /media/{key}/w640.webp 640w, /media/{key}/w1280.webp 1280w",
                       "jpeg": f"/media/{key}/w320.jpg 320w, /media/{key}/w640.jpg 640w, /media/{key}/w1280.jpg 1280w",
                       "320": f"/media/{key}/w320.jpg", "640": f"/media/{key}/w640.jpg",
                       "1280": f"/media/{key}/w1280.jpg"},
    }
    assert images.describe(image["src"]) == {**image, "alt": ""}


def test_small_png_with_transparency_is_not_upscaled(app, editor):
    image = images.store_upload(editor, io.BytesIO(encoded("PNG", (200, 100), "RGBA")), "Biểu tượng")
    assert image["width"] == 200 and image["renditions"]["jpeg"].endswith("w200.jpg 200w")
    assert len(media_files(app)) == 2


def test_webp_is_accepted(app, editor):
    image = images.store_upload(editor, io.BytesIO(encoded("WEBP", (700, 700))), "Ảnh WebP")
    assert image["width"] == 640


@pytest.mark.parametrize("payload,expected", [
    (encoded("GIF", (50, 50), "P"), "Chỉ nhận ảnh JPEG, PNG hoặc WebP"),
    (encoded("BMP", (50, 50)), "Chỉ nhận ảnh JPEG, PNG hoặc WebP"),
    (b"<?php echo 'not an image'; ?>", "Chỉ nhận ảnh JPEG, PNG hoặc WebP"),  # a fake .jpg
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "Chỉ nhận ảnh JPEG, PNG hoặc WebP"),
    (encoded("JPEG", (900, 900))[:600], "Chỉ nhận ảnh JPEG, PNG hoặc WebP"),  # truncated
    (encoded("PNG", (10000, 10000), "1"), "quá nhiều điểm ảnh"),  # decompression bomb: 100 megapixels
    (b"", "Tệp ảnh trống"),
])
def test_bad_uploads_are_refused_and_leave_nothing(app, editor, payload, expected):
    with pytest.raises(images.ImageRejected) as refused:
        images.store_upload(editor, io.BytesIO(payload), "Mô tả")
    assert expected in refused.value.message
    assert media_files(app) == []
    assert not any(Path(app.config["MEDIA_DIR"]).glob(".upload-*")) if Path(app.config["MEDIA_DIR"]).exists() else True


def test_too_big_is_refused_before_decoding(app, editor):
    with pytest.raises(images.ImageRejected) as refused:
        images.store_upload(editor, io.BytesIO(b"\xff\xd8" + b"0" * 2048), "Mô tả", limit=1024)
    assert "quá lớn" in refused.value.message
    assert media_files(app) == []


def test_alt_text_is_required(app, editor):
    with pytest.raises(images.ImageRejected) as refused:
        images.store_upload(editor, io.BytesIO(jpeg_with_gps(400, 300)), "   ")
    assert "alt" in refused.value.message
    assert media_files(app) == []


def test_admin_and_anonymous_cannot_upload(app):
    with pytest.raises(PermissionDenied):
        images.store_upload(make_user("admin"), io.BytesIO(jpeg_with_gps(400, 300)), "Mô tả")
    with pytest.raises(PermissionDenied):
        images.store_upload(None, io.BytesIO(jpeg_with_gps(400, 300)), "Mô tả")
    assert media_files(app) == []


def test_media_route_serves_renditions_and_nothing_else(app, client, editor):
    image = images.store_upload(editor, io.BytesIO(jpeg_with_gps(700, 400)), "Ảnh")
    key = image["src"].split("/")[2]
    with client.get(image["src"]) as response:
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert "immutable" in response.headers["Cache-Control"]
    with client.get(f"/media/{key}/w320.webp") as response:
        assert response.mimetype == "image/webp"
    (Path(app.config["MEDIA_DIR"]) / "secret.txt").write_text("x")
    for bad in (f"/media/{key}/w9999.jpg", f"/media/{key}/..%2Fsecret.txt", "/media/../secret.txt",
                f"/media/{key.upper()}/w320.jpg", f"/media/{key}/original.jpg", "/media/nokey/w320.jpg"):
        with client.get(bad) as response:
            assert response.status_code == 404, bad


def test_prune_removes_only_unreferenced_old_uploads(app, editor, runner):
    import os
    import time

    from portal.content import workflow
    from portal.extensions import db
    from tests.factories import article_data

    used = images.store_upload(editor, io.BytesIO(jpeg_with_gps(400, 300)), "Ảnh dùng trong bài")
    orphan = images.store_upload(editor, io.BytesIO(jpeg_with_gps(400, 300)), "Ảnh tải lên rồi bỏ")
    fresh = images.store_upload(editor, io.BytesIO(jpeg_with_gps(400, 300)), "Ảnh vừa tải")
    workflow.create_item(editor, "article", {**article_data(), "published_at": None, "images": [used]})
    db.session.commit()
    root = Path(app.config["MEDIA_DIR"])
    leftover = root / ".upload-deadbeef"
    leftover.mkdir()
    old = time.time() - 3 * 24 * 3600
    for key in (used, orphan):
        os.utime(root / key["src"].split("/")[2], (old, old))
    os.utime(leftover, (old, old))
    result = runner.invoke(args=["media", "prune", "--dry-run"])
    assert "2 upload folder(s) to remove" in result.output and len(media_files(app)) == 6  # 3 × (webp, jpeg)
    result = runner.invoke(args=["media", "prune"])
    assert result.exit_code == 0, result.output
    remaining = {p.name for p in root.iterdir()}
    assert remaining == {used["src"].split("/")[2], fresh["src"].split("/")[2]}
