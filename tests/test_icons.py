"""/favicon.ico: a real icon, cached by browsers, linked from every page."""
from __future__ import annotations

import io

from PIL import Image


def test_favicon_is_a_real_icon_with_caching(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    icon = Image.open(io.BytesIO(response.data))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])
    cache_control = response.headers["Cache-Control"]
    assert "public" in cache_control and "max-age=604800" in cache_control
    etag = response.headers["ETag"]
    response.close()
    again = client.get("/favicon.ico", headers={"If-None-Match": etag})
    assert again.status_code == 304
    again.close()


def test_pages_link_the_icons(client):
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">' in html
    assert 'rel="apple-touch-icon" href="/static/img/apple-touch-icon.png"' in html
    touch = client.get("/static/img/apple-touch-icon.png")
    assert touch.status_code == 200 and Image.open(io.BytesIO(touch.data)).size == (180, 180)
    touch.close()
