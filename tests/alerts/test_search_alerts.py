"""Alerts for a search: the search page's own query decides what matches."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from portal.search import service
from tests.factories import create, sanction_data, warning_data

from .conftest import confirm_from_mail, subscribe

VN = timezone(timedelta(hours=7))


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone(VN).isoformat()


def alerts_to(mail_server, email):
    return [m for m in mail_server.to(email) if m["List-Unsubscribe"]]


def test_a_search_alert_sends_what_the_search_page_finds(web, cli, mail_server):
    old = create(warning_data(title="Sữa bột cũ", product={"name": "Sữa bột cũ"}))
    service.apply_pending()
    assert subscribe(web, "timkiem@example.vn", list_kind="search", q="sua bot").status_code == 200
    confirm_from_mail(web, mail_server, "timkiem@example.vn")
    milk = create(warning_data(title="Sữa bột trẻ em nhiễm khuẩn", product={"name": "Sữa bột trẻ em"},
                               published_at=now_iso()))
    create(warning_data(title="Đồ chơi nam châm", product={"name": "Đồ chơi nam châm"}, published_at=now_iso()))
    service.apply_pending()
    page = web.get("/tim-kiem?q=sua bot").get_data(as_text=True)
    assert milk.slug in page and old.slug in page
    assert cli.invoke(args=["alerts", "send"]).exit_code == 0
    [alert] = alerts_to(mail_server, "timkiem@example.vn")
    assert alert["Subject"] == "Tin mới: Sữa bột trẻ em nhiễm khuẩn"
    text = alert.get_body(preferencelist=("plain",)).get_content()
    assert "Từ khóa: sua bot" in text and "/tim-kiem?q=sua+bot" in text
    assert "Sữa bột cũ" not in text and "Đồ chơi" not in text
    assert cli.invoke(args=["alerts", "send"]).exit_code == 0
    assert len(alerts_to(mail_server, "timkiem@example.vn")) == 1


def test_a_search_alert_keeps_its_type_filter(web, cli, mail_server):
    subscribe(web, "loai@example.vn", list_kind="search", q="minh họa", type="sanction")
    confirm_from_mail(web, mail_server, "loai@example.vn")
    create(warning_data(title="Cảnh báo minh họa", published_at=now_iso()))
    create(sanction_data(title="Xử phạt cơ sở minh họa mới", published_at=now_iso()))
    service.apply_pending()
    assert cli.invoke(args=["alerts", "send"]).exit_code == 0
    [alert] = alerts_to(mail_server, "loai@example.vn")
    assert alert["Subject"] == "Tin mới: Xử phạt cơ sở minh họa mới"


def test_an_item_not_yet_indexed_is_sent_once_the_index_has_it(web, cli, mail_server):
    create(warning_data(title="Cảnh báo đã có trong chỉ mục"))
    service.apply_pending()
    subscribe(web, "chimuc@example.vn", list_kind="search", q="máy sấy tóc")
    confirm_from_mail(web, mail_server, "chimuc@example.vn")
    create(warning_data(title="Máy sấy tóc gây điện giật", product={"name": "Máy sấy tóc"}, published_at=now_iso()))
    assert cli.invoke(args=["alerts", "send"]).exit_code == 0  # the indexer has not run yet
    assert alerts_to(mail_server, "chimuc@example.vn") == []
    service.apply_pending()
    assert cli.invoke(args=["alerts", "send"]).exit_code == 0
    assert [m["Subject"] for m in alerts_to(mail_server, "chimuc@example.vn")] == ["Tin mới: Máy sấy tóc gây điện giật"]


def test_without_an_index_a_search_alert_waits_and_says_why(web, cli, mail_server, mail_app):
    import shutil

    subscribe(web, "cho@example.vn", list_kind="search", q="nồi cơm điện")
    confirm_from_mail(web, mail_server, "cho@example.vn")
    create(warning_data(title="Nồi cơm điện chập cháy", product={"name": "Nồi cơm điện"}, published_at=now_iso()))
    service.state().pool.close()
    shutil.rmtree(mail_app.config["SEARCH_INDEX_DIR"], ignore_errors=True)
    result = cli.invoke(args=["alerts", "send"])
    assert result.exit_code == 1 and "search index is not built" in result.output
    service.rebuild()
    assert cli.invoke(args=["alerts", "send"]).exit_code == 0
    assert [m["Subject"] for m in alerts_to(mail_server, "cho@example.vn")] == ["Tin mới: Nồi cơm điện chập cháy"]
