"""Routes: feeds, the feeds page, CSV/XLSX exports, sitemap.xml and robots.txt."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_babel import gettext as _

from ..content import queries
from ..content.models import utcnow
from ..i18n import localized_route, lurl, request_lang
from ..public import filters as filter_labels
from . import entries, exports, search_feed, selection, sitemap
from .caching import content_generation, generation_key
from .links import FEED_KINDS, feed_args, feed_title

bp = Blueprint("feeds", __name__)

MEDIA_TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}
EXPORT_NAMES = {"vi": {"warnings": "canh-bao", "sanctions": "xu-ly-vi-pham"},
                "en": {"warnings": "warnings", "sanctions": "enforcement-results"}}
EXPORT_TYPES = {"csv": "text/csv; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# Not <kind>: an article filter is called "kind" and must reach the feed as a query argument.
KIND_PATTERN = "<any(" + ", ".join(FEED_KINDS) + "):feed_kind>.<any(atom, rss):feed_format>"


def bad_request(errors: dict[str, str]) -> Response:
    """400 naming each rejected parameter (feed readers and scripts read plain text)."""
    lines = [_("Tham số không hợp lệ:")] + [f"{name}: {message}" for name, message in errors.items()]
    return Response("\n".join(lines) + "\n", status=400, mimetype="text/plain")


def _active_labels(kind: str, filters, lang: str) -> list[str]:
    if kind == "warnings":
        active = filter_labels.warning_active(filters, lang)
    elif kind == "sanctions":
        active = filter_labels.sanction_active(filters, lang)
    else:
        active = filter_labels.article_active(filters)
    return [f.value for f in active]


@localized_route(bp, {"vi": "/feeds/" + KIND_PATTERN, "en": "/en/feeds/" + KIND_PATTERN}, "feed")
def feed(feed_kind: str, feed_format: str):
    """Atom or RSS for a list (with the list page's filters), for everything, or for a search."""
    kind, fmt = feed_kind, feed_format
    lang, now = request_lang(), utcnow()
    _page, size, errors = queries.parse_page({"per_page": request.args.get("per_page", "")},
                                             per_page_default=selection.FEED_SIZE)
    args = feed_args(request.args, kind)
    description = []
    if kind == "all":
        items = selection.newest_of_all(lang, now, size)
        html_url = lurl("public.home", lang=lang, _external=True)
    elif kind == "search":
        try:
            items, search_errors = search_feed.search_items(args, now, size)
        except search_feed.SearchUnavailable:
            return Response(_("Tìm kiếm tạm thời không hoạt động.") + "\n", status=503, mimetype="text/plain")
        errors.update(search_errors)
        description.append(args.get("q", ""))
        html_url = lurl("search.results", lang=lang, _external=True, **args.to_dict(flat=False))
    else:
        spec = selection.KINDS[kind]
        query, filter_errors = selection.filtered(spec, args, lang, now, queries.CHANGE_ORDER)
        errors.update(filter_errors)
        if not errors:
            filters, _unused = spec.parse(args)
            description = _active_labels(kind, filters, lang)
            items = selection.first(query, size)
        html_url = lurl(spec.list_endpoint, lang=lang, _external=True, **args.to_dict(flat=False))
    if errors:
        return bad_request(errors)
    title = feed_title(kind)
    if description:
        title = f"{title}: {', '.join(d for d in description if d)}"
    canonical = urlencode(sorted(args.items(multi=True)))
    updated = max((selection.item_updated(item) for item in items), default=None) or content_generation(now)
    info = entries.FeedInfo(
        feed_id=f"tag:{entries.TAG_AUTHORITY}:feed:{lang}:{kind}" + (f"?{canonical}" if canonical else ""),
        title=f"{title} – {_('Cổng thông tin bảo vệ quyền lợi người tiêu dùng Hải Phòng')}",
        subtitle=_("Thông tin mới nhất từ Sở Công Thương Hải Phòng: cảnh báo sản phẩm không an toàn, "
                   "hướng dẫn người tiêu dùng và kết quả xử lý vi phạm."),
        self_url=request.url, html_url=html_url, lang=lang,
        updated=updated,
    )
    return Response(entries.build(info, items, fmt), content_type=MEDIA_TYPES[fmt])


@localized_route(bp, {"vi": "/feeds/", "en": "/en/feeds/"}, "index")
def index():
    """The page that lists every feed and explains how to follow a filtered list."""
    return render_template("feeds/index.html", kinds=[kind for kind in FEED_KINDS if kind != "search"])


def _export(kind: str, fmt: str) -> Response:
    lang, now = request_lang(), utcnow()
    spec = selection.KINDS[kind]
    query, errors = selection.filtered(spec, feed_args(request.args, kind), lang, now)
    if errors:
        return bad_request(errors)
    header, rows = exports.header(kind), exports.rows(kind, exports.each_item(query, spec.model), lang)
    if fmt == "csv":
        body = exports.csv_chunks(header, rows)
    else:
        body = exports.xlsx_chunks(header, rows, feed_title(kind))
    response = Response(stream_with_context(body), content_type=EXPORT_TYPES[fmt])
    name = f"{EXPORT_NAMES[lang][kind]}-{now.date().isoformat()}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@localized_route(bp, {"vi": "/canh-bao/export.<any(csv, xlsx):fmt>",
                      "en": "/en/warnings/export.<any(csv, xlsx):fmt>"}, "warnings_export")
def warnings_export(fmt: str):
    return _export("warnings", fmt)


@localized_route(bp, {"vi": "/xu-ly-vi-pham/export.<any(csv, xlsx):fmt>",
                      "en": "/en/enforcement/export.<any(csv, xlsx):fmt>"}, "sanctions_export")
def sanctions_export(fmt: str):
    return _export("sanctions", fmt)


@bp.route("/sitemap.xml", endpoint="sitemap")
def sitemap_index():
    """The sitemap index (the address crawlers already know): the pages file and every block file."""
    xml = sitemap.index_xml(utcnow(), generation_key())
    return Response(xml, mimetype="application/xml")


@bp.route("/sitemaps/pages.xml", endpoint="sitemap_pages")
def sitemap_pages():
    return Response(sitemap.pages_xml(utcnow(), generation_key()), mimetype="application/xml")


@bp.route("/sitemaps/<any(" + ", ".join(selection.KINDS) + "):kind>-<int(max=1000000):number>.xml",
          endpoint="sitemap_file")
def sitemap_file(kind: str, number: int):
    """One block of items, streamed; 404 when the block holds no public item."""
    chunks = sitemap.file_xml(kind, number, utcnow())
    if chunks is None:
        abort(404)
    return Response(stream_with_context(chunks), mimetype="application/xml")


@bp.route("/robots.txt")
def robots():
    response = Response(sitemap.robots_txt(), mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
