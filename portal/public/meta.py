"""Social-sharing tags (OpenGraph, Twitter) and schema.org JSON-LD for item pages."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from flask_babel import gettext as _

from ..content.markdown import plain_text
from ..content.models import Article, ContentMixin, Sanction, Warning
from ..formatting import iso_datetime

OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


@dataclass
class PageMeta:
    """What the ``meta`` block of an item page renders."""

    title: str
    description: str
    url: str
    og_type: str = "article"
    image: str = ""
    image_alt: str = ""
    locale: str = "vi_VN"
    json_ld: dict[str, Any] | None = None


def image_src(src: str) -> str:
    """Where an image of an item is served: absolute and rooted paths as given, else from static/."""
    if src.startswith(("http://", "https://", "/")):
        return src
    return url_for("static", filename=src)


def absolute(src: str) -> str:
    if src.startswith(("http://", "https://")):
        return src
    return request.host_url.rstrip("/") + src


def image_srcset(image: dict) -> str:
    """``srcset`` from an image's ``renditions`` ({width: src}); empty when it has none usable."""
    renditions = image.get("renditions")
    if not isinstance(renditions, dict):
        return ""
    parts = []
    for width, src in renditions.items():
        digits = str(width).removesuffix("w")
        if digits.isascii() and digits.isdigit() and isinstance(src, str) and src:
            parts.append((int(digits), f"{image_src(src)} {digits}w"))
    return ", ".join(text for _, text in sorted(parts))


def describe(item: ContentMixin, limit: int = 200) -> str:
    text = item.summary or plain_text(item.body)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _publisher() -> dict[str, Any]:
    return {"@type": "GovernmentOrganization", "name": _("Sở Công Thương Hải Phòng"),
            "logo": {"@type": "ImageObject", "url": absolute(url_for("static", filename="img/og-default.png"))}}


def item_meta(item: ContentMixin, url: str) -> PageMeta:
    """OpenGraph/Twitter fields and JSON-LD for a guide, warning or enforcement result."""
    image = item.images[0] if item.images else None
    meta = PageMeta(
        title=item.title, description=describe(item), url=url, locale=OG_LOCALES.get(item.lang, "vi_VN"),
        image=absolute(image_src(image["src"])) if image else absolute(url_for("static", filename="img/og-default.png")),
        image_alt=image["alt"] if image else _("Biểu trưng Cổng thông tin bảo vệ quyền lợi người tiêu dùng Hải Phòng"),
    )
    common = {
        "@context": "https://schema.org", "headline": item.title[:110], "description": meta.description,
        "inLanguage": item.lang, "url": url, "mainEntityOfPage": url, "publisher": _publisher(),
        "author": _publisher(), "image": [meta.image],
        "datePublished": iso_datetime(item.published_at), "dateModified": iso_datetime(item.updated_at),
    }
    if isinstance(item, Article):
        meta.json_ld = {**common, "@type": "NewsArticle" if item.kind == "news" else "Article"}
    elif isinstance(item, Warning):
        product: dict[str, Any] = {"@type": "Product", "name": item.product_name}
        if item.brand:
            product["brand"] = {"@type": "Brand", "name": item.brand}
        if item.model:
            product["model"] = item.model
        if item.barcodes:
            product["gtin"] = item.barcodes[0].replace(" ", "")
        meta.json_ld = {**common, "@type": "Article", "about": product,
                        "articleSection": _("Cảnh báo sản phẩm")}
    elif isinstance(item, Sanction):
        meta.json_ld = {**common, "@type": "Article", "articleSection": _("Kết quả xử lý vi phạm")}
        if item.published_until:
            meta.json_ld["expires"] = iso_datetime(item.published_until)
    return meta
