"""Discovery: sitemap.xml, robots.txt, feed links on pages, sharing tags on item pages."""
from __future__ import annotations

import json
import re
from html import unescape
from xml.etree import ElementTree as ET

import feedparser

from tests.factories import _when, article_data, create, sanction_data, warning_data

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap(client) -> dict[str, dict]:
    """Every URL of the sitemap: /sitemap.xml is an index; read each file it lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    index = ET.fromstring(response.data)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    out = {}
    for entry in index.findall("s:sitemap", NS):
        part = client.get(entry.findtext("s:loc", namespaces=NS).removeprefix("http://localhost"))
        assert part.status_code == 200 and part.mimetype == "application/xml"
        for url in ET.fromstring(part.data).findall("s:url", NS):
            loc = url.findtext("s:loc", namespaces=NS)
            assert loc not in out, loc
            out[loc] = {"lastmod": url.findtext("s:lastmod", namespaces=NS),
                        "alternates": {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}}
    return out


def test_sitemap_lists_public_pages_in_both_languages_with_alternates(client, app):
    guide = create(article_data(slug="quyen-loi"))
    create(article_data(lang="en", slug="your-rights", title="Your rights", translation_of="quyen-loi"))
    warning = create(warning_data(slug="noi-com-dien"))
    create(warning_data(slug="sap-cong-bo", published_at=_when(2)))
    create(sanction_data(slug="het-han", published_at=_when(-60), published_until=_when(-30)))
    live = create(sanction_data(slug="dang-cong-khai"))
    urls = sitemap(client)

    vi, en = "http://localhost/huong-dan/quyen-loi", "http://localhost/en/guides/your-rights"
    assert urls[vi]["alternates"] == {"vi": vi, "en": en, "x-default": vi}
    assert urls[en]["alternates"] == urls[vi]["alternates"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", urls[vi]["lastmod"])
    assert "http://localhost/canh-bao/noi-com-dien" in urls and "http://localhost/en/warnings/noi-com-dien" in urls
    assert "http://localhost/xu-ly-vi-pham/dang-cong-khai" in urls
    for page in ("http://localhost/", "http://localhost/en/", "http://localhost/canh-bao", "http://localhost/en/warnings",
                 "http://localhost/xu-ly-vi-pham", "http://localhost/en/enforcement"):
        assert page in urls
    assert not any("sap-cong-bo" in loc or "het-han" in loc for loc in urls)
    assert guide.id and warning.id and live.id


def test_robots_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client, app):
    text = client.get("/robots.txt").get_data(as_text=True)
    assert "User-agent: *" in text and "Disallow: /admin" in text
    assert "Sitemap: http://localhost/sitemap.xml" in text


def test_list_pages_link_their_own_filtered_feed(client, app):
    create(warning_data(category="toys"))
    html = client.get("/canh-bao?category=toys&risk_level=serious").get_data(as_text=True)
    heads = re.findall(r'<link rel="alternate" type="application/(atom|rss)\+xml"[^>]*href="([^"]+)"', html)
    assert {kind for kind, _ in heads} == {"atom", "rss"}
    atom = unescape(dict(heads)["atom"])
    assert atom.startswith("http://localhost/feeds/warnings.atom?") and "category=toys" in atom
    assert "Theo dõi danh sách đã lọc qua RSS/Atom" in html
    assert "/canh-bao/export.csv?" in html
    feed = feedparser.parse(client.get(atom.removeprefix("http://localhost")).data)
    assert not feed.bozo and len(feed.entries) == 1


def test_rejected_filters_are_left_out_of_the_feed_link(client, app):
    html = client.get("/canh-bao?category=toys&risk_level=apocalyptic&utm_source=zalo").get_data(as_text=True)
    assert 'href="/feeds/warnings.atom?category=toys"' in html


def test_english_list_links_the_english_feed(client, app):
    html = client.get("/en/enforcement?online=1").get_data(as_text=True)
    assert 'href="http://localhost/en/feeds/sanctions.atom?online=1"' in html
    assert "/en/enforcement/export.xlsx?online=1" in html


def test_search_page_links_the_search_feed(client, app):
    from portal.search import service

    create(warning_data(title="Sữa bột nhiễm khuẩn"))
    service.apply_pending()
    html = client.get("/tim-kiem?q=sua+bot").get_data(as_text=True)
    match = re.search(r'href="(/feeds/search\.atom\?q=[^"]+)"', html)
    assert match
    feed = feedparser.parse(client.get(unescape(match.group(1))).data)
    assert [entry.title for entry in feed.entries] == ["Sữa bột nhiễm khuẩn"]
    assert client.get("/feeds/search.rss").status_code == 400
    assert client.get("/feeds/search.rss?q=sua&date_to=9999-12-31").status_code == 400


def test_feeds_page_lists_the_subscription_urls(client, app):
    html = client.get("/feeds/").get_data(as_text=True)
    for path in ("/feeds/warnings.atom", "/feeds/sanctions.rss", "/feeds/all.atom", "/feeds/articles.atom"):
        assert f"http://localhost{path}" in html
    assert client.get("/en/feeds/").status_code == 200


def test_item_pages_carry_sharing_cards_and_json_ld(client, app):
    warning = create(warning_data(images=[{"src": "img/mau.jpg", "alt": "Ảnh sản phẩm"}]))
    guide = create(article_data())
    sanction = create(sanction_data())
    for url in (f"/canh-bao/{warning.slug}", f"/huong-dan/{guide.slug}", f"/xu-ly-vi-pham/{sanction.slug}"):
        html = client.get(url).get_data(as_text=True)
        for prop in ("og:title", "og:description", "og:image", "og:url"):
            assert re.search(rf'<meta property="{prop}" content="[^"]+"', html), (url, prop)
        assert re.search(r'<meta name="twitter:card" content="summary(_large_image)?"', html), url
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert blocks and all(json.loads(block)["@context"] == "https://schema.org" for block in blocks), url
