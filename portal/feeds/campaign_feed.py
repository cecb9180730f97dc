"""The campaign feed: the guides, news and warnings carrying the current campaign's tag, in Atom or RSS."""
from __future__ import annotations

from flask import Response, abort, request
from flask_babel import gettext as _

from ..content import campaigns, queries
from ..content.models import utcnow
from ..i18n import localized_route, lurl, request_lang
from . import entries, selection
from .caching import content_generation
from .views import MEDIA_TYPES, bad_request, bp


@localized_route(bp, {"vi": "/feeds/campaign.<any(atom, rss):feed_format>",
                     "en": "/en/feeds/campaign.<any(atom, rss):feed_format>"}, "campaign")
def campaign(feed_format: str):
    """Newest changes first, warnings and articles together, as on the campaign page."""
    lang, now = request_lang(), utcnow()
    _page, size, errors = queries.parse_page({"per_page": request.args.get("per_page", "")},
                                             per_page_default=selection.FEED_SIZE)
    if errors:
        return bad_request(errors)
    row = campaigns.current(now.astimezone(queries.VN).date())
    if row is None:
        abort(404)
    items = []
    for name in ("articles", "warnings"):
        kind = selection.KINDS[name]
        query, _unused = selection.filtered(kind, {"tag": row.tag}, lang, now, queries.CHANGE_ORDER)
        items.extend(selection.first(query, size))
    items.sort(key=lambda item: (selection.item_updated(item), item.id), reverse=True)
    items = items[:size]
    title_pair = row.data["title"]
    title = (title_pair.get("en") if lang == "en" else None) or title_pair["vi"]
    updated = max((selection.item_updated(item) for item in items), default=None) or content_generation(now)
    info = entries.FeedInfo(
        feed_id=f"tag:{entries.TAG_AUTHORITY}:feed:{lang}:campaign:{row.slug}",
        title=f"{title} – {_('Cổng thông tin bảo vệ quyền lợi người tiêu dùng Hải Phòng')}",
        subtitle=_("Hướng dẫn, tin tức và cảnh báo sản phẩm của chiến dịch Ngày Quyền của người tiêu dùng Việt Nam."),
        self_url=request.url, html_url=lurl("public.campaign", lang=lang, _external=True), lang=lang,
        updated=updated,
    )
    return Response(entries.build(info, items, feed_format), content_type=MEDIA_TYPES[feed_format])
