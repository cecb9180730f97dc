"""Public pages: home, warnings, guides, enforcement results, about. Routes only."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from ..content import queries, taxonomy
from ..content.models import Article, Sanction, Warning, utcnow
from ..feeds.caching import generation_key
from ..i18n import localized_route, request_lang
from . import filters as ui
from .meta import item_meta
from .pages import first, in_language, item_alternates, item_url, paged_listing, require_item

bp = Blueprint("public", __name__)

SERIOUS = ["serious", "high"]
COMPLAINT_TAGS = ("khieu-nai", "complaints")  # tags of the guides on complaining, vi and en


@localized_route(bp, {"vi": "/", "en": "/en/"}, "home")
def home():
    now, lang = utcnow(), request_lang()
    serious = first(queries.prefer_language(queries.public_warnings(
        queries.WarningFilters(risk_level=SERIOUS, status="active"), now), Warning, lang, now), 5)
    shown = [w.id for w in serious]
    recent = first(queries.prefer_language(queries.public_warnings(None, now), Warning, lang, now)
                   .where(Warning.id.not_in(shown)), 4)
    guides = first(queries.prefer_language(queries.public_articles(queries.ArticleFilters(kind="guide"), now),
                                   Article, lang, now), 4)
    news = first(queries.prefer_language(queries.public_articles(queries.ArticleFilters(kind="news"), now),
                                 Article, lang, now), 3)
    sanctions = first(queries.prefer_language(queries.public_sanctions(None, now), Sanction, lang, now), 3)
    campaign = first(queries.public_articles(queries.ArticleFilters(tag="15-3"), now), 1)
    return render_template(
        "public/home.html", serious=serious, recent=recent, guides=guides, news=news, sanctions=sanctions,
        campaign=in_language(campaign[0], lang, now) if campaign else None,
    )


@localized_route(bp, {"vi": "/canh-bao", "en": "/en/warnings"}, "warnings")
def warnings():
    now, lang = utcnow(), request_lang()
    filters, errors = queries.parse_warning_filters(request.args)
    listing = paged_listing(queries.prefer_language(queries.public_warnings(filters, now), Warning, lang, now))
    return render_template(
        "public/warnings.html", listing=listing, filters=filters, errors=ui.error_messages(errors),
        active=ui.warning_active(filters, lang), sources=ui.source_choices(lang),
    ), 400 if errors else listing.status


@localized_route(bp, {"vi": "/canh-bao/<slug>", "en": "/en/warnings/<slug>"}, "warning")
def warning(slug: str):
    now = utcnow()
    item = require_item("warning", slug, now)
    return render_template("public/warning.html", item=item, alternates=item_alternates(item, now),
                           meta=item_meta(item, item_url(item, external=True)))


@localized_route(bp, {"vi": "/huong-dan", "en": "/en/guides"}, "guides")
def guides():
    now, lang = utcnow(), request_lang()
    filters, errors = queries.parse_article_filters(request.args)
    filters.lang = None  # the page's language decides, through queries.prefer_language
    listing = paged_listing(queries.prefer_language(queries.public_articles(filters, now), Article, lang, now))
    return render_template(
        "public/guides.html", listing=listing, filters=filters, errors=ui.error_messages(errors),
        active=ui.article_active(filters),
    ), 400 if errors else listing.status


@localized_route(bp, {"vi": "/huong-dan/<slug>", "en": "/en/guides/<slug>"}, "guide")
def guide(slug: str):
    now = utcnow()
    item = require_item("article", slug, now)
    return render_template("public/guide.html", item=item, alternates=item_alternates(item, now),
                           meta=item_meta(item, item_url(item, external=True)))


@localized_route(bp, {"vi": "/xu-ly-vi-pham", "en": "/en/enforcement"}, "sanctions")
def sanctions():
    now, lang = utcnow(), request_lang()
    filters, errors = queries.parse_sanction_filters(request.args)
    listing = paged_listing(queries.prefer_language(queries.public_sanctions(filters, now), Sanction, lang, now))
    return render_template(
        "public/sanctions.html", listing=listing, filters=filters, errors=ui.error_messages(errors),
        active=ui.sanction_active(filters, lang), facets=queries.sanction_facets(now, generation_key()),
        violation_kinds=taxonomy.choices("violation_kind", lang),
    ), 400 if errors else listing.status


@localized_route(bp, {"vi": "/xu-ly-vi-pham/<slug>", "en": "/en/enforcement/<slug>"}, "sanction")
def sanction(slug: str):
    now = utcnow()
    item = require_item("sanction", slug, now)
    return render_template("public/sanction.html", item=item, alternates=item_alternates(item, now),
                           meta=item_meta(item, item_url(item, external=True)))


@localized_route(bp, {"vi": "/gioi-thieu", "en": "/en/about"}, "about")
def about():
    now, lang = utcnow(), request_lang()
    found: dict[int, Article] = {}
    for tag in COMPLAINT_TAGS:
        query = queries.prefer_language(queries.public_articles(queries.ArticleFilters(tag=tag), now), Article, lang, now)
        found.update((item.id, item) for item in first(query, 3))
    return render_template("public/about.html", complaint_guides=list(found.values())[:3])
