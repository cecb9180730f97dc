"""Feed dates mean something: an entry's ``updated`` is when its public content last changed.

That is an update published with a change note (or a withdrawal), otherwise the publication
time; never the time a file was loaded or a draft saved. Newest first. The same files loaded
into a new database give the same feeds.
"""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone

import feedparser
import pytest
import time_machine

from portal import create_app
from portal.content import workflow
from portal.content.loader import LoadError, dump_all, load_paths
from portal.content.models import Warning
from portal.extensions import db
from tests.admin.helpers import make_user

VN = timezone(timedelta(hours=7))
TAG = "tag:congthuong.haiphong.gov.vn,2026:warning:"


def warning_file(slug: str, published: str, extra: str = "") -> str:
    return f"""
type: warning
slug: {slug}
title: "Cảnh báo {slug}"
lang: vi
published_at: {published}
category: toys
hazards: [choking]
risk_level: serious
product: {{name: "Đồ chơi {slug}"}}
{extra}
"""


def entries(client, url: str = "/feeds/warnings.atom") -> list[tuple[str, str, str]]:
    """(id, updated, published) of every entry, in feed order."""
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo
    return [(entry.id, entry.updated, entry.published) for entry in parsed.entries]


def updated_of(feed: list[tuple[str, str, str]], item) -> datetime:
    return datetime.fromisoformat(next(updated for entry_id, updated, _ in feed if entry_id == f"{TAG}{item.id}"))


@pytest.fixture
def files(write_content):
    write_content("warnings/cu.md", warning_file("cu", "2026-03-01T08:00:00+07:00"))
    write_content("warnings/moi.md", warning_file("moi", "2026-05-01T08:00:00+07:00"))
    write_content("warnings/cap-nhat.md", warning_file(
        "cap-nhat", "2026-02-01T08:00:00+07:00",
        'change_note: "Mở rộng phạm vi thu hồi."\nupdated_at: 2026-06-01T08:00:00+07:00'))
    return write_content.folder


def test_entries_carry_publication_or_update_time_newest_first(client, files):
    load_paths([files])
    feed = entries(client)
    assert [entry_id.rsplit(":", 1)[1] for entry_id, _, _ in feed] == [
        str(db.session.execute(db.select(Warning.id).filter_by(slug=slug)).scalar_one())
        for slug in ("cap-nhat", "moi", "cu")]
    updated = [datetime.fromisoformat(u) for _, u, _ in feed]
    assert updated == sorted(updated, reverse=True)
    assert updated[0] == datetime(2026, 6, 1, 8, tzinfo=VN)
    assert updated[1] == datetime(2026, 5, 1, 8, tzinfo=VN) == datetime.fromisoformat(feed[1][2])


def test_reloading_the_same_files_moves_nothing(client, files):
    load_paths([files])
    before = client.get("/feeds/all.atom").data
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(days=3), tick=False):
        report = load_paths([files])
        assert len(report.unchanged) == 3
        assert client.get("/feeds/all.atom").data == before


def test_the_same_files_in_a_new_database_give_the_same_feed(client, files, migrated_db, tmp_path):
    load_paths([files])
    first = entries(client), entries(client, "/en/feeds/all.atom")
    database = tmp_path / "other.sqlite3"
    shutil.copy(migrated_db, database)
    other = create_app({"INSTANCE_PATH": str(tmp_path / "other"), "TESTING": True, "SECRET_KEY": "x",
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                        "SEARCH_INDEX_DIR": str(tmp_path / "other-index")})
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(days=2), tick=False), other.app_context():
        load_paths([files])
        other_client = other.test_client()
        assert (entries(other_client), entries(other_client, "/en/feeds/all.atom")) == first
        db.session.remove()
        db.engine.dispose()


def test_a_draft_save_does_not_move_the_entry(app, client):
    editor = make_user("editor")
    item = workflow.create_item(editor, "warning", {**_warning_dict("nhap"), "published_at": None})
    workflow.publish(make_user("publisher"), item, item.version)
    db.session.commit()
    before = entries(client)
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(hours=5), tick=False):
        data = {**workflow.working_data(item), "title": "Tiêu đề đang sửa"}
        workflow.save_draft(editor, item, data, item.version)
        db.session.commit()
        assert entries(client) == before


def test_a_published_update_with_a_change_note_moves_the_entry_up(app, client):
    publisher = make_user("publisher")
    older = workflow.create_item(publisher, "warning", {**_warning_dict("cu-hon"), "published_at": None})
    workflow.publish(publisher, older, older.version, at=None)
    db.session.commit()
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(hours=1), tick=False):
        newer = workflow.create_item(publisher, "warning", {**_warning_dict("moi-hon"), "published_at": None})
        workflow.publish(publisher, newer, newer.version)
        db.session.commit()
        before = entries(client)
    assert before[0][0] == f"{TAG}{newer.id}"

    moment = datetime.now(timezone.utc) + timedelta(hours=3)
    with time_machine.travel(moment, tick=False):
        data = {**workflow.working_data(older), "summary": "Thêm lô 2403."}
        workflow.save_draft(publisher, older, data, older.version)
        workflow.publish(publisher, older, older.version, change_note="Mở rộng phạm vi thu hồi sang lô 2403.")
        db.session.commit()
        after = entries(client)
    assert after[0][0] == f"{TAG}{older.id}"
    assert abs(updated_of(after, older) - moment) < timedelta(seconds=1)
    assert datetime.fromisoformat(after[0][2]) < updated_of(after, older)
    assert updated_of(after, newer) == updated_of(before, newer)


def test_a_published_update_survives_dump_and_load(app, client, tmp_path, files):
    load_paths([files])
    publisher = make_user("publisher")
    item = db.session.execute(db.select(Warning).filter_by(slug="cu")).scalar_one()
    workflow.save_draft(publisher, item, {**workflow.working_data(item), "summary": "Mới."}, item.version)
    workflow.publish(publisher, item, item.version, change_note="Bổ sung thông tin.")
    db.session.commit()
    before = client.get("/feeds/warnings.atom").data
    dump_all(tmp_path / "dump")
    assert "updated_at:" in (tmp_path / "dump" / "warnings" / "cu.md").read_text(encoding="utf-8")
    report = load_paths([tmp_path / "dump"])
    assert len(report.unchanged) == 3
    assert client.get("/feeds/warnings.atom").data == before


@pytest.mark.parametrize("extra,field", [
    ("updated_at: 2026-06-01T08:00:00+07:00", "updated_at"),  # no change note: nothing was updated
    ('change_note: "Sửa."\nupdated_at: 2026-01-01T08:00:00+07:00', "updated_at"),  # before publication
    ('change_note: "Sửa."\nupdated_at: 2026-06-01', "updated_at"),  # no time of day, no offset
])
def test_a_bad_updated_at_is_refused(app, write_content, extra, field):
    write_content("warnings/x.md", warning_file("x", "2026-03-01T08:00:00+07:00", extra))
    with pytest.raises(LoadError, match=field):
        load_paths([write_content.folder])
    assert db.session.execute(db.select(Warning)).first() is None


def _warning_dict(slug: str) -> dict:
    return {"type": "warning", "slug": slug, "title": f"Cảnh báo {slug}", "lang": "vi", "category": "toys",
            "hazards": ["choking"], "risk_level": "serious", "product": {"name": f"Đồ chơi {slug}"},
            "body": "Mô tả."}


def test_updated_at_belongs_to_warnings_only(app, write_content):
    write_content("articles/a.md", """
type: article
slug: bai-viet
title: "Bài viết"
lang: vi
published_at: 2026-03-01T08:00:00+07:00
updated_at: 2026-04-01T08:00:00+07:00
""")
    with pytest.raises(LoadError, match="updated_at: unknown key"):
        load_paths([write_content.folder])
