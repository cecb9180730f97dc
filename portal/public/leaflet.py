"""The campaign leaflet: an A4 page drawn with Pillow from the campaign file, as PDF or PNG.

Drawn text, not a picture of a web page: the title, the year's theme, the leaflet's points,
the first events, the free national hotline and the campaign page's address. A font with
Vietnamese letters (DejaVu Sans, Debian's fonts-dejavu-core) is needed; each process keeps the
few leaflets it has drawn, keyed on the campaign's last change.
"""
from __future__ import annotations

import io
import threading
from collections import OrderedDict
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT, DPI = 1240, 1754, 150  # A4 at 150 dots per inch
MARGIN = 96
NAVY, TEAL, INK, MUTED, WHITE = (16, 42, 84), (0, 110, 110), (20, 20, 20), (70, 70, 70), (255, 255, 255)
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


class LeafletUnavailable(RuntimeError):
    """No font with Vietnamese letters on this machine."""


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    raise LeafletUnavailable(f"font {name} not found in {', '.join(map(str, FONT_DIRS))}")


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


class _Page:
    def __init__(self) -> None:
        self.image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
        self.draw = ImageDraw.Draw(self.image)
        self.y = MARGIN

    def text(self, text: str, size: int, *, bold: bool = False, fill=INK, indent: int = 0, after: int = 12,
             bullet: str = "") -> None:
        font = _font(bold, size)
        width = WIDTH - 2 * MARGIN - indent
        for number, line in enumerate(_wrap(self.draw, text, font, width)):
            if self.y + size > HEIGHT - 260:
                return  # the footer's place: a longer text is cut rather than overprinted
            if bullet and number == 0:
                self.draw.text((MARGIN + indent - 40, self.y), bullet, font=font, fill=TEAL)
            self.draw.text((MARGIN + indent, self.y), line, font=font, fill=fill)
            self.y += int(size * 1.35)
        self.y += after


_drawn: OrderedDict[tuple, bytes] = OrderedDict()
_lock = threading.Lock()
KEPT = 16


def render(slug: str, version: str, lang: str, fmt: str, page_url: str, data: dict,
           events: tuple[str, ...] = ()) -> bytes:
    """The leaflet of campaign ``slug`` at ``version`` (its last change) in ``lang``, as ``fmt`` bytes."""
    key = (slug, version, lang, fmt, page_url, events)
    with _lock:
        if key in _drawn:
            _drawn.move_to_end(key)
            return _drawn[key]
    with force_locale(lang):
        body = _draw(data, lang, fmt, page_url, events)
    with _lock:
        _drawn[key] = body
        while len(_drawn) > KEPT:
            _drawn.popitem(last=False)
    return body


def _pick(pair: dict, lang: str) -> str:
    return (pair.get("en") if lang == "en" else None) or pair.get("vi") or ""


def _draw(data: dict, lang: str, fmt: str, page_url: str, events: tuple[str, ...]) -> bytes:
    page = _Page()
    page.draw.rectangle((0, 0, WIDTH, 300), fill=NAVY)
    page.draw.text((MARGIN, 70), _("Cổng thông tin bảo vệ quyền lợi người tiêu dùng Hải Phòng"),
                   font=_font(False, 30), fill=WHITE)
    title_font = _font(True, 54)
    y = 130
    for line in _wrap(page.draw, _pick(data["title"], lang), title_font, WIDTH - 2 * MARGIN)[:2]:
        page.draw.text((MARGIN, y), line, font=title_font, fill=WHITE)
        y += 70
    page.y = 350
    theme = _pick(data.get("theme") or {}, lang)
    if theme:
        page.text(_("Chủ đề năm %(year)s:", year=data["year"]), 30, fill=MUTED, after=4)
        page.text(theme, 42, bold=True, fill=TEAL, after=36)
    for point in data["leaflet"]:
        page.text(_pick(point, lang), 34, indent=44, bullet="•", after=18)
    if events:
        page.y += 12
        page.text(_("Sự kiện"), 36, bold=True, fill=NAVY, after=8)
        for line in events:
            page.text(line, 26, indent=44, bullet="–", after=8, fill=MUTED)
    page.draw.rectangle((0, HEIGHT - 240, WIDTH, HEIGHT), fill=TEAL)
    page.draw.text((MARGIN, HEIGHT - 215), _("Tổng đài tư vấn hỗ trợ người tiêu dùng quốc gia, miễn phí:"),
                   font=_font(False, 28), fill=WHITE)
    page.draw.text((MARGIN, HEIGHT - 175), "1800 6838", font=_font(True, 56), fill=WHITE)
    size = 26
    while size > 14 and page.draw.textlength(page_url, font=_font(False, size)) > WIDTH - 2 * MARGIN:
        size -= 2
    page.draw.text((MARGIN, HEIGHT - 80), page_url, font=_font(False, size), fill=WHITE)
    out = io.BytesIO()
    if fmt == "pdf":
        page.image.save(out, format="PDF", resolution=DPI, title=_pick(data["title"], lang))
    else:
        page.image.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(out, format="PNG", optimize=True)
    return out.getvalue()
