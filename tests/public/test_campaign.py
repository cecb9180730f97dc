"""The 15 March campaign: its content file, page (vi/en), leaflets, feed, home banner, tag labels and ?tag=."""
from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
import time_machine
from PIL import Image

from portal.content import campaign_window
from portal.content.loader import LoadError, load_paths
from portal.content.models import Campaign
from portal.extensions import db
from tests.factories import article_data, create, warning_data

VN = timezone(timedelta(hours=7))
BUNDLED = Path(__file__).resolve().parents[2] / "content" / "campaigns"

CAMPAIGN = """---
type: campaign
slug: ngay-15-3-thu
year: {year}
tag: 15-3
starts_on: {year}-03-01
ends_on: {year}-03-15
title:
  vi: Ngày Quyền của người tiêu dùng Việt Nam 15/3/{year}
  en: Vietnam Consumer Rights Day {year}
theme:
  vi: Chủ đề thử nghiệm của năm
  en: A test theme of the year
intro:
  vi: Lời giới thiệu **chiến dịch**.<script>alert(1)</script>
  en: The campaign's introduction.
events:
  - title: {{vi: Tọa đàm mua sắm an toàn, en: Safe shopping talk}}
    date: {year}-03-13
    time: "14:00"
    end_time: "16:30"
    place: {{vi: Hội trường Sở Công Thương, en: Department meeting hall}}
  - title: {{vi: Điểm tư vấn minh họa, en: Example advice point}}
    date: {year}-03-15
    time: "07:30"
    place: {{vi: Nhà văn hóa phường, en: Ward hall}}
    demo: true
leaflet:
  - {{vi: Giữ hóa đơn khi mua hàng., en: Keep your receipt.}}
  - {{vi: Gọi 1800 6838 khi cần hỗ trợ., en: Call 1800 6838 for help.}}
---
"""


@pytest.fixture
def campaign(app, tmp_path):
    path = tmp_path / "campaigns" / "c.md"
    path.parent.mkdir()
    path.write_text(CAMPAIGN.format(year=datetime.now(VN).year + 1), encoding="utf-8")
    load_paths([path])
    return path


@pytest.fixture
def tagged(app):
    guide = create(article_data(slug="khieu-nai-15-3", title="Khiếu nại đúng cách", tags=["15-3", "khieu-nai"]))
    create(article_data(slug="khieu-nai-15-3-en", title="How to complain", lang="en",
                        translation_of="khieu-nai-15-3", tags=["15-3", "khieu-nai"]))
    other = create(article_data(slug="bai-khac", title="Bài không thuộc chiến dịch", tags=["hang-gia"]))
    warning = create(warning_data(slug="sua-15-3", title="Sữa bột bị thu hồi", tags=["15-3", "tre-em"]))
    plain = create(warning_data(slug="do-choi-khac", title="Đồ chơi không gắn thẻ"))
    return guide, other, warning, plain


def test_the_bundled_campaign_file_loads(app):
    report = load_paths([BUNDLED])
    assert len(report.created) == 1
    row = db.session.execute(db.select(Campaign)).scalar_one()
    assert row.tag == "15-3" and row.data["year"] == 2026 and len(row.data["events"]) == 3
    assert all(event["demo"] for event in row.data["events"])  # illustrative: no official schedule was given
    assert load_paths([BUNDLED]).unchanged  # idempotent


@pytest.mark.parametrize("change, field", [
    ("tag: 15-3", "tag: khong-co"),
    ('time: "14:00"', 'time: "2pm"'),
    ("ends_on: {year}-03-15", "ends_on: {year}-02-01"),
    ("theme:", "chu_de:"),
    ("place: {{vi: Hội trường Sở Công Thương, en: Department meeting hall}}", "place: {{en: Hall}}"),
])
def test_a_bad_campaign_file_is_refused_naming_file_and_field(app, tmp_path, change, field):
    text = CAMPAIGN.replace(change, field).format(year=2027)
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_paths([path])
    message = str(caught.value)
    assert str(path) in message
    expected = {"tag: khong-co": "tag:", 'time: "2pm"': "events[0].time", "ends_on: {year}-02-01": "ends_on",
                "chu_de:": "chu_de", "place: {{en: Hall}}": "events[0].place.vi"}[field]
    assert expected in message
    assert db.session.execute(db.select(Campaign)).first() is None


def test_dump_writes_the_campaign_back_as_a_loadable_file(app, campaign, tmp_path):
    from portal.content.loader import dump_all

    dump_all(tmp_path / "out")
    written = tmp_path / "out" / "campaigns" / "ngay-15-3-thu.md"
    assert written.exists()
    assert load_paths([written]).unchanged == [str(written)]


def test_campaign_page_in_vietnamese(client, campaign, tagged):
    response = client.get("/ngay-quyen-cua-nguoi-tieu-dung")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    year = datetime.now(VN).year + 1
    assert f"Ngày Quyền của người tiêu dùng Việt Nam 15/3/{year}" in page
    assert "Chủ đề thử nghiệm của năm" in page
    assert "<strong>chiến dịch</strong>" in page and "<script>alert(1)</script>" not in page
    assert "Tọa đàm mua sắm an toàn" in page and "14:00–16:30" in page and "Hội trường Sở Công Thương" in page
    assert f"13/03/{year}" in page and f'datetime="{year}-03-13T14:00+07:00"' in page
    assert "minh họa" in page  # the demo event says so
    assert "Khiếu nại đúng cách" in page and "Sữa bột bị thu hồi" in page
    assert "Bài không thuộc chiến dịch" not in page and "Đồ chơi không gắn thẻ" not in page
    assert "/ngay-quyen-cua-nguoi-tieu-dung/to-roi.pdf" in page and "/feeds/campaign.atom" in page
    assert "/canh-bao?tag=15-3" in page and "/huong-dan?tag=15-3" in page


def test_campaign_page_in_english(client, campaign, tagged):
    page = client.get("/en/consumer-rights-day").get_data(as_text=True)
    assert "Vietnam Consumer Rights Day" in page and "A test theme of the year" in page
    assert "Safe shopping talk" in page and "Department meeting hall" in page
    assert "How to complain" in page and "Khiếu nại đúng cách" not in page  # the English version listed
    assert "/en/consumer-rights-day/leaflet.png" in page


def test_demo_events_hide_when_demo_content_is_off(app, client, campaign):
    app.config["PORTAL_DEMO_CONTENT"] = False
    page = client.get("/ngay-quyen-cua-nguoi-tieu-dung").get_data(as_text=True)
    assert "Tọa đàm mua sắm an toàn" in page and "Điểm tư vấn minh họa" not in page


def test_short_address_and_no_campaign(client):
    assert client.get("/15-3").headers["Location"].endswith("/ngay-quyen-cua-nguoi-tieu-dung")
    assert client.get("/ngay-quyen-cua-nguoi-tieu-dung").status_code == 404
    assert client.get("/feeds/campaign.atom").status_code == 404


def test_leaflets_are_real_a4_files(client, campaign):
    pdf = client.get("/ngay-quyen-cua-nguoi-tieu-dung/to-roi.pdf")
    assert pdf.status_code == 200 and pdf.content_type == "application/pdf"
    assert pdf.data.startswith(b"%PDF") and b"/MediaBox" in pdf.data
    png = client.get("/en/consumer-rights-day/leaflet.png")
    assert png.content_type == "image/png"
    image = Image.open(io.BytesIO(png.data))
    assert image.size == (1240, 1754)
    vi = client.get("/ngay-quyen-cua-nguoi-tieu-dung/to-roi.png").data
    assert vi != png.data  # drawn in each language


def test_campaign_feed_holds_the_tagged_items(client, campaign, tagged):
    atom = feedparser.parse(client.get("/feeds/campaign.atom").data)
    titles = {entry.title for entry in atom.entries}
    assert "Khiếu nại đúng cách" in titles and any("Sữa bột bị thu hồi" in t for t in titles)
    assert not any("Bài không thuộc" in t or "Đồ chơi không gắn thẻ" in t for t in titles)
    rss = client.get("/en/feeds/campaign.rss")
    assert rss.content_type.startswith("application/rss+xml")
    assert "How to complain" in {entry.title for entry in feedparser.parse(rss.data).entries}
    index = client.get("/feeds/").get_data(as_text=True)
    assert "/feeds/campaign.atom" in index and "/feeds/campaign.rss" in index


def _home(client) -> str:
    return client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("moment, shown", [
    (datetime(2027, 2, 28, 23, 59, tzinfo=VN), False),
    (datetime(2027, 3, 1, 0, 0, tzinfo=VN), True),
    (datetime(2027, 3, 15, 23, 59, tzinfo=VN), True),
    (datetime(2027, 3, 16, 0, 0, tzinfo=VN), False),
])
def test_home_banner_in_the_default_window(app, client, campaign, moment, shown):
    with time_machine.travel(moment, tick=False):
        page = _home(client)
    assert ('class="campaign-banner"' in page) is shown
    if shown:
        assert "Chủ đề thử nghiệm của năm" in page and 'href="/ngay-quyen-cua-nguoi-tieu-dung"' in page


def test_home_banner_window_is_configurable(app, client, campaign):
    app.config.update(PORTAL_CAMPAIGN_START="2027-02-20", PORTAL_CAMPAIGN_END="2027-02-25")
    with time_machine.travel(datetime(2027, 2, 21, 12, tzinfo=VN), tick=False):
        assert 'class="campaign-banner"' in _home(client)
    with time_machine.travel(datetime(2027, 3, 5, 12, tzinfo=VN), tick=False):
        assert 'class="campaign-banner"' not in _home(client)


def test_the_banner_edge_moves_the_etag(app, client, campaign):
    with time_machine.travel(datetime(2027, 2, 28, 23, 0, tzinfo=VN), tick=False):
        before = client.get("/")
        assert client.get("/", headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    with time_machine.travel(datetime(2027, 3, 1, 0, 1, tzinfo=VN), tick=False):
        after = client.get("/", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and 'class="campaign-banner"' in after.get_data(as_text=True)


def test_window_settings_are_checked():
    assert campaign_window.parse_day("03-01", "X") == (None, 3, 1)
    with pytest.raises(ValueError, match="PORTAL_CAMPAIGN_END"):
        campaign_window.parse_day("15/03", "PORTAL_CAMPAIGN_END")
    with pytest.raises(ValueError, match="calendar"):
        campaign_window.parse_day("02-30", "PORTAL_CAMPAIGN_START")


def test_tag_labels_on_pages_link_to_filtered_lists(client, tagged):
    guide = client.get("/huong-dan/khieu-nai-15-3").get_data(as_text=True)
    assert 'href="/huong-dan?tag=15-3"' in guide and "Ngày Quyền của người tiêu dùng 15/3" in guide
    assert 'href="/huong-dan?tag=khieu-nai"' in guide and ">Khiếu nại</a>" in guide
    warning = client.get("/canh-bao/sua-15-3").get_data(as_text=True)
    assert 'href="/canh-bao?tag=tre-em"' in warning and ">Trẻ em</a>" in warning
    english = client.get("/en/warnings/sua-15-3").get_data(as_text=True)
    assert 'href="/en/warnings?tag=tre-em"' in english and ">Children</a>" in english


def test_tag_filters_lists(client, tagged):
    warnings = client.get("/canh-bao?tag=15-3").get_data(as_text=True)
    assert "Sữa bột bị thu hồi" in warnings and "Đồ chơi không gắn thẻ" not in warnings
    assert "Ngày Quyền của người tiêu dùng 15/3" in warnings  # the active filter, by its label
    guides = client.get("/huong-dan?tag=khieu-nai").get_data(as_text=True)
    assert "Khiếu nại đúng cách" in guides and "Bài không thuộc chiến dịch" not in guides
    bad = client.get("/canh-bao?tag=khong-co")
    assert bad.status_code == 400 and "Đồ chơi không gắn thẻ" in bad.get_data(as_text=True)


def test_tag_filters_feeds_and_the_api(client, tagged):
    feed = feedparser.parse(client.get("/feeds/warnings.atom?tag=15-3").data)
    assert [e.title for e in feed.entries] == ["Sữa bột bị thu hồi"] or \
        [e.title for e in feed.entries][0].endswith("Sữa bột bị thu hồi")
    assert any(t.term == "15-3" for t in feed.entries[0].tags)
    assert client.get("/feeds/warnings.rss?tag=khong-co").status_code == 400
    api = client.get("/api/v1/warnings?tag=15-3").get_json()
    assert [item["slug"] for item in api["items"]] == ["sua-15-3"] and api["items"][0]["tags"] == ["15-3", "tre-em"]
    articles = client.get("/api/v1/articles?tag=hang-gia").get_json()
    assert [item["slug"] for item in articles["items"]] == ["bai-khac"]
    error = client.get("/api/v1/warnings?tag=khong-co")
    assert error.status_code == 400 and error.get_json()["error"]["parameter"] == "tag"
    terms = client.get("/api/v1/taxonomies/tag").get_json()
    assert {"code": "15-3", "label_vi": "Ngày Quyền của người tiêu dùng 15/3",
            "label_en": "Consumer Rights Day, 15 March"} in terms
    docs = client.get("/api/v1/").get_data(as_text=True)
    assert "/api/v1/articles?tag=15-3" in docs


def test_the_sitemap_lists_the_campaign_page_once_there_is_one(client, campaign):
    pages = client.get("/sitemaps/pages.xml").get_data(as_text=True)
    assert "/ngay-quyen-cua-nguoi-tieu-dung</loc>" in pages and "/en/consumer-rights-day</loc>" in pages
