"""The 15 March campaign page (vi and en), its leaflets, the home banner and tag labels. Routes only,
plus the two small template helpers; the campaign itself is a content file (`content.campaigns`)."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, redirect, render_template
from flask_babel import gettext as _

from ..content import campaign_window, campaigns, queries, taxonomy
from ..content.models import Article, Campaign, Warning, utcnow
from ..formatting import format_date
from ..i18n import localized_route, lurl, request_lang
from . import leaflet
from .pages import first
from .views import bp

LINKED = 8  # guides, news and warnings shown on the page; the rest are one click away
LEAFLET_TYPES = {"pdf": "application/pdf", "png": "image/png"}


def today(now=None) -> date:
    return (now or utcnow()).astimezone(campaign_window.VN).date()


def text(pair: dict | None, lang: str | None = None) -> str:
    """The ``lang`` text of a campaign's {vi, en} pair, Vietnamese where English is missing."""
    pair = pair or {}
    lang = lang or request_lang()
    return (pair.get("en") if lang == "en" else None) or pair.get("vi") or ""


def tag_label(code: str) -> str:
    """A tag's label in the page's language (the code itself when it is not in the vocabulary)."""
    return taxonomy.label("tag", code, request_lang())


def campaign_banner() -> Campaign | None:
    """The campaign for the home page's banner while the banner window is open, else None."""
    now = utcnow()
    if not campaign_window.banner_open(current_app.config, now):
        return None
    return campaigns.current(today(now))


def _events(data: dict) -> list[dict]:
    return [event for event in data["events"] if queries.include_demo() or not event["demo"]]


@localized_route(bp, {"vi": "/ngay-quyen-cua-nguoi-tieu-dung", "en": "/en/consumer-rights-day"}, "campaign")
def campaign_page():
    now, lang = utcnow(), request_lang()
    row = campaigns.current(today(now))
    if row is None:
        abort(404)
    data = row.data
    articles = first(queries.prefer_language(
        queries.public_articles(queries.ArticleFilters(tag=row.tag), now), Article, lang, now), LINKED)
    warnings = first(queries.prefer_language(
        queries.public_warnings(queries.WarningFilters(tag=row.tag), now), Warning, lang, now), LINKED)
    return render_template(
        "public/campaign.html", campaign=row, data=data, text=text, events=_events(data),
        articles=articles, warnings=warnings,
        starts_on=date.fromisoformat(data["starts_on"]), ends_on=date.fromisoformat(data["ends_on"]),
        day=date(data["year"], 3, 15), parse_date=date.fromisoformat,
    )


@bp.route("/15-3")
def short_campaign():
    """The short address people type or see on a leaflet."""
    return redirect(lurl("public.campaign", lang="vi"), code=301)


@localized_route(bp, {"vi": "/ngay-quyen-cua-nguoi-tieu-dung/to-roi.pdf",
                      "en": "/en/consumer-rights-day/leaflet.pdf"}, "campaign_leaflet_pdf")
def campaign_leaflet_pdf():
    """The leaflet to print."""
    return campaign_leaflet("pdf")


@localized_route(bp, {"vi": "/ngay-quyen-cua-nguoi-tieu-dung/to-roi.png",
                      "en": "/en/consumer-rights-day/leaflet.png"}, "campaign_leaflet_png")
def campaign_leaflet_png():
    """The leaflet as an image to share."""
    return campaign_leaflet("png")


def campaign_leaflet(fmt: str):
    """The campaign's leaflet, drawn from its file (A4: a PDF to print, a PNG to share)."""
    lang = request_lang()
    row = campaigns.current(today())
    if row is None or not row.data.get("leaflet"):
        abort(404)
    page_url = lurl("public.campaign", lang=lang, _external=True)
    try:
        body = leaflet.render(row.slug, row.updated_at.isoformat(), lang, fmt, page_url, row.data,
                              events=tuple(_leaflet_events(row.data, lang)))
    except leaflet.LeafletUnavailable:
        current_app.logger.exception("campaign leaflet")
        abort(503)
    response = Response(body, content_type=LEAFLET_TYPES[fmt])
    name = ("to-roi" if lang == "vi" else "leaflet") + f"-{row.slug}.{fmt}"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _leaflet_events(data: dict, lang: str) -> list[str]:
    lines = []
    for event in _events(data)[:4]:
        when = format_date(date.fromisoformat(event["date"]), lang)
        if event["time"]:
            when += f", {event['time']}" + (f"–{event['end_time']}" if event["end_time"] else "")
        lines.append(f"{when}: {text(event['title'], lang)} ({text(event['place'], lang)})"
                     + (f" [{_('minh họa')}]" if event["demo"] else ""))
    return lines
