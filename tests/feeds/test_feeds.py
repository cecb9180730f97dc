"""Atom and RSS feeds, read back with feedparser (a real feed client)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import feedparser
import pytest
import time_machine

from portal.content import workflow
from portal.content.models import OldSlug
from portal.content.services import record_change
from portal.extensions import db
from tests.admin.helpers import make_user
from tests.databases import with_control_characters
from tests.factories import _when, article_data, create, sanction_data, warning_data

FEEDS = [f"{prefix}/feeds/{kind}.{fmt}" for prefix in ("", "/en") for kind in ("warnings", "articles", "sanctions", "all")
         for fmt in ("atom", "rss")]
OFFSET = re.compile(r"([+-]\d\d:?\d\d|Z|GMT)$")


def fetch(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:300])
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return parsed


def ids(parsed) -> list[str]:
    return [entry.id for entry in parsed.entries]


@pytest.fixture
def content(app):
    return {
        "toy": create(warning_data(category="toys", images=[{"src": "img/do-choi.jpg", "alt": "Ảnh đồ chơi"}])),
        "food": create(warning_data(category="food", hazards=["microbiological"], risk_level="high",
                                    source={"authority": "Cục An toàn thực phẩm", "reference": "ATTP-1"})),
        "withdrawn": create(warning_data(status="withdrawn", withdrawn_reason="Kết quả kiểm nghiệm lại đạt yêu cầu.")),
        "scheduled": create(warning_data(published_at=_when(2))),
        "draft": create(warning_data(workflow="draft")),
        "guide": create(article_data()),
        "sanction": create(sanction_data(online=True)),
        "offline": create(sanction_data(online=False)),
        "expired": create(sanction_data(published_at=_when(-60), published_until=_when(-30))),
        "future_window": create(sanction_data(published_at=_when(1), published_until=_when(31))),
    }


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_parses_with_unique_ids_and_zoned_dates(client, content, url):
    parsed = fetch(client, url)
    assert parsed.entries
    assert len(set(ids(parsed))) == len(parsed.entries)
    for entry in parsed.entries:
        assert entry.id.startswith("tag:congthuong.haiphong.gov.vn,2026:")
        assert entry.title and entry.link.startswith("http://localhost/") and entry.summary
        raw_dates = [entry.get("updated"), entry.get("published")]
        assert all(raw and OFFSET.search(raw) for raw in raw_dates), raw_dates
        assert entry.updated_parsed and entry.published_parsed
    expected_lang = "en" if url.startswith("/en/") else "vi"
    assert parsed.feed.get("language", expected_lang).startswith(expected_lang)


def test_scheduled_draft_and_out_of_window_items_are_absent(client, content):
    entry_ids = set(ids(fetch(client, "/feeds/all.atom")))
    for name in ("scheduled", "draft", "expired", "future_window"):
        assert f"tag:congthuong.haiphong.gov.vn,2026:{content[name].item_type}:{content[name].id}" not in entry_ids
    for name in ("toy", "withdrawn", "guide", "sanction"):
        assert f"tag:congthuong.haiphong.gov.vn,2026:{content[name].item_type}:{content[name].id}" in entry_ids


def test_list_filters_are_honoured(client, content):
    food = fetch(client, "/feeds/warnings.atom?category=food")
    assert [e.title for e in food.entries] == [content["food"].title]
    assert "Thực phẩm" in food.feed.title
    domestic = fetch(client, "/feeds/warnings.rss?source=domestic")
    assert [e.title for e in domestic.entries] == [content["food"].title]
    online = fetch(client, "/feeds/sanctions.atom?online=1")
    assert [e.title for e in online.entries] == [content["sanction"].title]
    withdrawn = fetch(client, "/feeds/warnings.atom?status=withdrawn")
    assert len(withdrawn.entries) == 1


def test_bad_filter_is_a_400_naming_the_parameter(client, content):
    response = client.get("/feeds/warnings.atom?risk_level=apocalyptic")
    assert response.status_code == 400 and b"risk_level" in response.data
    assert client.get("/feeds/warnings.atom?per_page=0").status_code == 400
    assert client.get("/feeds/warnings.atom?date_from=0001-01-01").status_code == 400
    assert client.get("/feeds/nothing.atom").status_code == 404


def test_withdrawn_warning_says_so_with_its_reason(client, content):
    parsed = fetch(client, "/feeds/warnings.atom?status=withdrawn")
    entry = parsed.entries[0]
    assert entry.title.startswith("[Đã rút cảnh báo]")
    assert "Kết quả kiểm nghiệm lại đạt yêu cầu." in entry.summary


def test_categories_image_and_english_labels(client, content):
    entry = next(e for e in fetch(client, "/feeds/warnings.atom").entries if e.title == content["toy"].title)
    assert {t.term for t in entry.tags} >= {"toys", "choking", "serious"}
    assert "Đồ chơi" in {t.label for t in entry.tags}
    enclosures = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosures and enclosures[0].href.endswith("/static/img/do-choi.jpg") and enclosures[0].type == "image/jpeg"
    rss_entry = next(e for e in fetch(client, "/feeds/warnings.rss").entries if e.title == content["toy"].title)
    assert rss_entry.enclosures[0].href.endswith("do-choi.jpg")
    english = next(e for e in fetch(client, "/en/feeds/warnings.atom").entries if e.title == content["toy"].title)
    assert "Toys" in {t.label for t in english.tags}
    assert english.link.startswith("http://localhost/en/warnings/")


def test_an_update_moves_the_warning_up_with_a_new_date_and_its_change_note(client, app):
    older = create(warning_data(published_at=_when(-5)))
    newer = create(warning_data(published_at=_when(-1)))
    before = fetch(client, "/feeds/warnings.atom")
    assert ids(before)[0].endswith(f":{newer.id}")
    old_updated = next(e for e in before.entries if e.id.endswith(f":warning:{older.id}")).updated_parsed

    with time_machine.travel(datetime.now(timezone.utc) + timedelta(hours=1), tick=False):
        publisher = make_user("publisher")
        data = workflow.working_data(older)
        data["product"] = {**data["product"], "batches": ["2401", "2403"]}
        workflow.save_draft(publisher, older, data, older.version)
        workflow.publish(publisher, older, older.version, change_note="Mở rộng phạm vi thu hồi sang lô 2403.")
        db.session.commit()
        after = fetch(client, "/feeds/warnings.atom")
    top = after.entries[0]
    assert top.id == f"tag:congthuong.haiphong.gov.vn,2026:warning:{older.id}"
    assert top.updated_parsed > old_updated
    assert top.published_parsed < top.updated_parsed
    assert "Mở rộng phạm vi thu hồi sang lô 2403." in top.summary


def test_entry_id_survives_a_slug_change(client, app):
    item = create(warning_data())
    first = fetch(client, "/feeds/warnings.atom").entries[0]
    db.session.add(OldSlug(item_type="warning", item_id=item.id, slug=item.slug))
    item.slug = "ten-moi-cua-canh-bao"
    record_change(item, "publish")
    db.session.commit()
    second = fetch(client, "/feeds/warnings.atom").entries[0]
    assert second.id == first.id and second.link.endswith("/canh-bao/ten-moi-cua-canh-bao")


def test_control_characters_cannot_break_the_xml(client, app):
    with_control_characters(create(warning_data()), title="Nồi cơm\x00 điện\x1b lỗi\x0b",
                            summary="Tóm tắt\x08 có ký tự lạ\x7f.", body="Thân\x0c bài.")
    for url in ("/feeds/warnings.atom", "/feeds/warnings.rss", "/feeds/all.atom"):
        entry = fetch(client, url).entries[0]
        assert entry.title == "Nồi cơm điện lỗi"


def test_newest_fifty_by_default_and_per_page(client, app):
    for _ in range(53):
        create(article_data())
    assert len(fetch(client, "/feeds/articles.atom").entries) == 50
    assert len(fetch(client, "/feeds/articles.rss?per_page=5").entries) == 5
    assert len(fetch(client, "/feeds/all.atom?per_page=100").entries) == 53


def test_a_feed_shows_the_page_language_version_once(client, app):
    original = create(article_data(title="Hướng dẫn gốc"))
    create(article_data(lang="en", slug="the-guide", title="The guide", translation_of=original.slug))
    assert [e.title for e in fetch(client, "/feeds/articles.atom").entries] == ["Hướng dẫn gốc"]
    assert [e.title for e in fetch(client, "/en/feeds/articles.atom").entries] == ["The guide"]


def test_expired_enforcement_result_leaves_the_feed(client, app):
    item = create(sanction_data(published_until=_when(1)))
    assert len(fetch(client, "/feeds/sanctions.atom").entries) == 1
    with time_machine.travel(item.published_until.timestamp() + 60, tick=False):
        assert fetch(client, "/feeds/sanctions.atom").entries == []
