"""SQL statements per public request stay the same however many items there are.

Each page type is asked once with a small set of items and once with four times as many. A
per-row query (a relationship read in a template loop, a lookup per feed entry) shows up as
a count that grows with the page or the table, or exceeds the fixed bound.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from portal.content.models import Article, Campaign, Sanction, Warning
from portal.extensions import db
from tests.feeds.sql_count import count_statements

N = 45  # enough for a second page of every list (20 per page), and of a filtered one
# Statements per request, whatever the number of items. A list is its count, its page and the
# caching layer's content generation (+ the year and authority choices on the enforcement list);
# a home page is one query per block; an item page looks up the item and its translation.
BOUNDS = {"home": 8, "list": 4, "item": 7, "feed": 4, "api": 4}


def bound(url: str) -> int:
    path = url.split("?")[0]
    if path in ("/", "/en/", "/gioi-thieu"):
        return BOUNDS["home"]
    if "/feeds/" in path:
        return BOUNDS["feed"]
    if path.startswith("/api/"):
        return BOUNDS["api"]
    return BOUNDS["item"] if path.count("/") >= (3 if path.startswith("/en/") else 2) else BOUNDS["list"]

URLS = [
    "/", "/en/", "/gioi-thieu",
    "/canh-bao", "/canh-bao?page=2", "/canh-bao?category=toys", "/canh-bao?category=toys&page=2",
    "/en/warnings", "/en/warnings?page=2", "/en/warnings?risk_level=serious",
    "/huong-dan", "/huong-dan?page=2", "/huong-dan?kind=news", "/en/guides",
    "/xu-ly-vi-pham", "/xu-ly-vi-pham?page=2", "/xu-ly-vi-pham?online=1", "/en/enforcement",
    "/canh-bao/canh-bao-5", "/en/warnings/warning-en-5", "/canh-bao/canh-bao-7", "/en/warnings/canh-bao-7",
    "/huong-dan/huong-dan-4", "/en/guides/guide-en-4", "/xu-ly-vi-pham/xu-phat-2",
    "/feeds/warnings.atom", "/en/feeds/warnings.rss", "/feeds/warnings.atom?category=toys",
    "/feeds/articles.atom", "/en/feeds/articles.rss", "/feeds/sanctions.rss", "/feeds/all.atom", "/en/feeds/all.rss",
    "/api/v1/warnings", "/api/v1/warnings?page=2", "/api/v1/warnings?lang=en", "/api/v1/warnings?category=toys",
    "/api/v1/articles", "/api/v1/articles?kind=news&page=2&per_page=5", "/api/v1/sanctions",
    "/api/v1/warnings/5", "/api/v1/warnings/7", "/api/v1/articles/4", "/api/v1/sanctions/2",
    # Filters through the hazard and tag tables and the stored source kind, and a page of each.
    "/canh-bao?hazard=choking", "/canh-bao?hazard=choking&page=2", "/en/warnings?hazard=choking,fire",
    "/canh-bao?source=domestic", "/canh-bao?status=active&risk_level=high", "/huong-dan?tag=khieu-nai&page=2",
    "/api/v1/warnings?hazard=choking&page=2", "/api/v1/articles?tag=khieu-nai", "/feeds/warnings.atom?hazard=choking",
    "/xu-ly-vi-pham?violation_kind=other", "/xu-ly-vi-pham?year=2026",
    # The warning tag table, and the campaign page and feed that read it and article_tag.
    "/canh-bao?tag=tre-em", "/canh-bao?tag=tre-em&page=2", "/en/warnings?tag=15-3", "/api/v1/warnings?tag=tre-em",
    "/feeds/warnings.atom?tag=tre-em", "/ngay-quyen-cua-nguoi-tieu-dung", "/en/consumer-rights-day",
    "/feeds/campaign.atom", "/en/feeds/campaign.rss",
]


def seed(start: int, stop: int) -> None:
    """Items ``start``..``stop - 1`` of each type: every fifth warning and every fourth guide with an
    English translation, guides and news, enforcement results online and not, some out of window."""
    now = datetime.now(timezone.utc)
    warnings, articles, sanctions = [], [], []
    for i in range(start, stop):
        at = now - timedelta(hours=i)
        common = dict(summary="Tóm tắt.", body="Nội dung.", tags=[], images=[], status="published",
                      published_at=at, content_updated_at=at, created_at=at, updated_at=at)
        warnings.append(dict(common, id=i, slug=f"canh-bao-{i}", lang="vi", title=f"Cảnh báo {i}",
                             product_name=f"Sản phẩm {i}", category="toys" if i % 2 else "food",
                             risk_level="serious" if i % 3 else "high", hazards=["choking"], barcodes=[], batches=[],
                             tags=["tre-em"] if i % 2 else ["15-3", "tre-em"],
                             measures=[{"type": "recall", "kind": "voluntary", "by": "Nhà sản xuất"}],
                             images=[{"src": "img/a.jpg", "alt": "Ảnh"}] if i % 4 == 0 else []))
        if i % 5 == 0:
            warnings.append(dict(warnings[-1], id=100000 + i, slug=f"warning-en-{i}", lang="en", title=f"Warning {i}",
                                 translation_of_id=i))
        articles.append(dict(common, id=i, slug=f"huong-dan-{i}", lang="vi", title=f"Hướng dẫn {i}",
                             kind="news" if i % 3 == 0 else "guide", tags=["15-3"] if i == 1 else ["khieu-nai"]))
        if i % 4 == 0:
            articles.append(dict(articles[-1], id=100000 + i, slug=f"guide-en-{i}", lang="en", title=f"Guide {i}",
                                 translation_of_id=i, tags=["khieu-nai"]))
        until = now + (timedelta(days=-1) if i % 7 == 0 else timedelta(days=20))
        sanctions.append(dict(common, id=i, slug=f"xu-phat-{i}", lang="vi", title=f"Xử phạt {i}",
                              published_from=at - timedelta(days=2), published_until=until,
                              subject_name=f"Công ty {i}", subject_kind="enterprise", violation="Vi phạm.",
                              decision_number=f"{i}/QĐ-XPHC", decision_date=date(2026, 1 + i % 11, 1 + i % 27),
                              decision_authority="Sở Công Thương Hải Phòng", online=bool(i % 2)))
    for model, rows in ((Warning, warnings), (Article, articles), (Sanction, sanctions)):
        db.session.execute(sa.insert(model), rows)
    if start == 1:
        data = {"type": "campaign", "slug": "ngay-15-3", "year": now.year + 1, "tag": "15-3",
                "starts_on": f"{now.year + 1}-03-01", "ends_on": f"{now.year + 1}-03-15",
                "title": {"vi": "Ngày 15/3", "en": "15 March"}, "theme": {"vi": "", "en": ""},
                "intro": {"vi": "", "en": ""}, "events": [], "leaflet": []}
        db.session.execute(sa.insert(Campaign), [dict(slug="ngay-15-3", tag="15-3", data=data, updated_at=now,
                                                       starts_on=date(now.year + 1, 3, 1),
                                                       ends_on=date(now.year + 1, 3, 15))])
    db.session.commit()


def statements_per_request(client, urls: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for url in urls:
        client.get(url)  # warm: the first request of an app may read what later ones remember
        # The test's app context outlives requests; start each from an empty session, as in production.
        db.session.remove()
        with count_statements() as seen:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[url] = len(seen)
    return counts


@pytest.fixture
def counts_at_two_sizes(app, client):
    seed(1, N + 1)
    small = statements_per_request(client, URLS)
    seed(N + 1, 4 * N + 1)
    large = statements_per_request(client, URLS)
    return small, large


def test_statements_per_page_type_do_not_grow_with_the_items(counts_at_two_sizes):
    small, large = counts_at_two_sizes
    grew = {url: (small[url], large[url]) for url in URLS if small[url] != large[url]}
    assert not grew, grew
    over = {url: (count, bound(url)) for url, count in large.items() if count > bound(url)}
    assert not over, over


def test_a_list_page_does_not_query_per_item(app, client):
    """A full page of items costs the same statements as a page with a few."""
    urls = ["/canh-bao", "/en/warnings", "/en/guides", "/xu-ly-vi-pham", "/feeds/all.atom", "/en/feeds/all.atom",
            "/api/v1/warnings", "/api/v1/articles?lang=en"]
    seed(1, 6)  # five of each, one of them translated
    few = statements_per_request(client, urls)
    seed(6, N + 1)
    full = statements_per_request(client, urls)
    assert few == full
