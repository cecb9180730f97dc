"""Markdown to safe HTML: python-markdown renders, nh3 (Ammonia) sanitises.

Images load only from the portal's own media (``/media/...``): an image from another site
would tell that site the address of every reader (a tracking pixel). Saving such an image is
refused (`foreign_images`); older content keeps its text and loses the image at render time.
"""
from __future__ import annotations

import html as htmllib
import re
import threading
from html.parser import HTMLParser

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
OWN_MEDIA_RE = re.compile(r"^/media/[A-Za-z0-9._/-]+$")
RENDER_EXTENSIONS = ("tables", "sane_lists", "smarty")
TEXT_EXTENSIONS = ("tables", "sane_lists")

_converters = threading.local()


def _convert(text: str, extensions: tuple[str, ...]) -> str:
    """Markdown to (unsanitised) HTML, through one converter per thread and set of extensions.

    ``markdown.markdown()`` builds a new converter on every call (its block and inline parsers,
    the extensions registered again), which costs more than converting a short body: a feed of
    50 items without summaries spent half its time there. A converter serves one document at a
    time and is ``reset()`` before each; threads never share one.
    """
    found = getattr(_converters, "by_extensions", None)
    if found is None:
        found = _converters.by_extensions = {}
    converter = found.get(extensions)
    if converter is None:
        converter = found[extensions] = md.Markdown(extensions=list(extensions), output_format="html")
    return converter.reset().convert(text)


def is_own_image(src: str | None) -> bool:
    """True for an image path on the portal's own media (no other host, scheme or trickery)."""
    return bool(src) and OWN_MEDIA_RE.match(src) is not None and "//" not in src and ".." not in src


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_own_image(value):
        return None
    return value


class _ImageSources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.extend(value or "" for name, value in attrs if name == "src")


def foreign_images(text: str | None) -> list[str]:
    """Image addresses in some Markdown (or HTML inside it) that are not the portal's own media."""
    if not text:
        return []
    parser = _ImageSources()
    parser.feed(_convert(text, TEXT_EXTENSIONS))
    return [src for src in dict.fromkeys(parser.sources) if not is_own_image(src)]


def render_markdown(text: str | None) -> Markup:
    """Render Markdown and sanitise it: no script, no event attributes, no javascript: links."""
    if not text:
        return Markup("")
    html = _convert(text, RENDER_EXTENSIONS)
    return Markup(nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer", strip_comments=True, attribute_filter=_keep_attribute,
    ))


def plain_text(text: str | None) -> str:
    """The text of some Markdown without any markup (for summaries, feeds and the index)."""
    if not text:
        return ""
    html = _convert(text, TEXT_EXTENSIONS)
    return " ".join(htmllib.unescape(nh3.clean(html, tags=set())).split())
