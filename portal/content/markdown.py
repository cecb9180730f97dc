"""Markdown to safe HTML: python-markdown renders, nh3 (Ammonia) sanitises."""
from __future__ import annotations

import html as htmllib

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


def render_markdown(text: str | None) -> Markup:
    """Render Markdown and sanitise it: no script, no event attributes, no javascript: links."""
    if not text:
        return Markup("")
    html = md.markdown(text, extensions=["tables", "sane_lists", "smarty"], output_format="html")
    return Markup(nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer", strip_comments=True,
    ))


def plain_text(text: str | None) -> str:
    """The text of some Markdown without any markup (for summaries, feeds and the index)."""
    if not text:
        return ""
    html = md.markdown(text, extensions=["tables", "sane_lists"])
    return " ".join(htmllib.unescape(nh3.clean(html, tags=set())).split())
