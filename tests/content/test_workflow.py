"""The workflow services: permissions, states, revisions, audit and outbox, scheduling."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from portal.content import workflow
from portal.content.models import (
    Article,
    AuditEntry,
    OldSlug,
    Revision,
    Sanction,
    SearchOutbox,
    utcnow,
)
from portal.content.permissions import PermissionDenied
from portal.content.queries import find_public, is_public
from portal.extensions import db
from tests.admin.helpers import make_user
from tests.factories import article_data, sanction_data, warning_data


def draft(data: dict) -> dict:
    """A content dict as a new draft: no publication time yet."""
    return {**data, "published_at": None}


@pytest.fixture
def people(app):
    return {role: make_user(role) for role in ("editor", "publisher", "enforcement", "admin")}


def audit_actions(item) -> list[str]:
    return list(db.session.execute(db.select(AuditEntry.action).filter_by(
        item_type=item.item_type, item_id=item.id).order_by(AuditEntry.id)).scalars())


def outbox(item) -> list[str]:
    return list(db.session.execute(db.select(SearchOutbox.op).filter_by(
        item_type=item.item_type, item_id=item.id).order_by(SearchOutbox.id)).scalars())


def test_editor_creates_a_draft_nobody_else_sees(people):
    item = workflow.create_item(people["editor"], "warning", draft(warning_data()))
    db.session.commit()
    assert item.status == "draft" and item.version == 1 and item.owner_org == "newsroom"
    assert not is_public(item)
    revision = db.session.get(Revision, item.latest_revision_id)
    assert revision.action == "create" and revision.author_id == people["editor"].id
    assert audit_actions(item) == ["warning.create"]
    assert outbox(item) == ["upsert"]


@pytest.mark.parametrize("role,kind,allowed", [
    ("editor", "warning", True), ("editor", "article", True), ("editor", "sanction", False),
    ("publisher", "warning", True), ("publisher", "sanction", False),
    ("enforcement", "sanction", True), ("enforcement", "warning", False),
    ("admin", "warning", False), ("admin", "article", False), ("admin", "sanction", False),
])
def test_who_may_create_what(people, role, kind, allowed):
    data = draft({"warning": warning_data, "article": article_data, "sanction": sanction_data}[kind]())
    if allowed:
        assert workflow.create_item(people[role], kind, data).id is not None
    else:
        with pytest.raises(PermissionDenied):
            workflow.create_item(people[role], kind, data)


def test_a_disabled_account_may_do_nothing(people):
    people["publisher"].active = False
    with pytest.raises(PermissionDenied):
        workflow.create_item(people["publisher"], "warning", draft(warning_data()))


def test_warning_goes_draft_review_published(people):
    editor, publisher = people["editor"], people["publisher"]
    item = workflow.create_item(editor, "warning", draft(warning_data()))
    workflow.submit_for_review(editor, item, item.version)
    assert item.status == "review"
    with pytest.raises(workflow.WorkflowError):
        workflow.submit_for_review(editor, item, item.version)
    with pytest.raises(PermissionDenied):
        workflow.publish(editor, item, item.version)
    with pytest.raises(PermissionDenied):
        workflow.publish(people["enforcement"], item, item.version)
    before = utcnow()
    workflow.publish(publisher, item, item.version)
    db.session.commit()
    assert item.status == "published" and not item.has_unpublished_changes
    assert item.published_at >= before - timedelta(seconds=1)
    assert is_public(item)
    assert audit_actions(item) == ["warning.create", "warning.submit", "warning.publish"]
    assert outbox(item) == ["upsert"] * 3


def test_editing_a_published_warning_keeps_the_live_version_until_published(people):
    editor, publisher = people["editor"], people["publisher"]
    item = workflow.create_item(editor, "warning", draft(warning_data(title="Bản đầu")))
    workflow.publish(publisher, item, item.version)
    db.session.commit()
    live_updated = item.updated_at

    data = workflow.working_data(item)
    data["title"] = "Bản cập nhật"
    workflow.save_draft(editor, item, data, item.version)
    db.session.commit()
    assert item.title == "Bản đầu" and item.has_unpublished_changes and item.updated_at == live_updated
    assert workflow.pending_stage(item) == "draft"
    assert find_public("warning", item.slug).item.title == "Bản đầu"

    workflow.submit_for_review(editor, item, item.version)
    assert workflow.pending_stage(item) == "review" and item.status == "published"
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.publish(publisher, item, item.version)
    assert refused.value.field == "change_note"
    workflow.publish(publisher, item, item.version, change_note="Bổ sung số lô bị ảnh hưởng.")
    db.session.commit()
    assert item.title == "Bản cập nhật" and item.change_note == "Bổ sung số lô bị ảnh hưởng."
    assert not item.has_unpublished_changes and workflow.pending_stage(item) is None


def test_a_stale_save_is_refused(people):
    editor = people["editor"]
    item = workflow.create_item(editor, "article", draft(article_data()))
    opened_at = item.version
    data = workflow.working_data(item)
    workflow.save_draft(editor, item, {**data, "title": "Người thứ nhất"}, opened_at)
    with pytest.raises(workflow.StaleEdit):
        workflow.save_draft(editor, item, {**data, "title": "Người thứ hai"}, opened_at)
    assert item.title == "Người thứ nhất"


def test_scheduled_item_goes_live_on_time_without_any_job(people):
    publisher = people["publisher"]
    start = datetime(2026, 3, 14, 1, 0, tzinfo=timezone.utc)
    with time_machine.travel(start, tick=False):
        item = workflow.create_item(people["editor"], "article", draft(article_data()))
        workflow.schedule(publisher, item, start + timedelta(hours=23), item.version)
        db.session.commit()
        assert workflow.stage(item) == "scheduled" and not is_public(item)
        assert find_public("article", item.slug).item is None
        with pytest.raises(workflow.WorkflowError):
            workflow.schedule(publisher, item, start - timedelta(minutes=1), item.version)
    with time_machine.travel(start + timedelta(hours=23, seconds=1), tick=False):
        assert workflow.stage(item) == "published"
        assert find_public("article", item.slug).item is not None


def test_a_public_item_cannot_be_pushed_into_the_future(people):
    publisher = people["publisher"]
    item = workflow.create_item(people["editor"], "article", draft(article_data()))
    workflow.publish(publisher, item, item.version)
    data = workflow.working_data(item)
    workflow.save_draft(publisher, item, data, item.version)
    with pytest.raises(workflow.WorkflowError):
        workflow.schedule(publisher, item, utcnow() + timedelta(days=1), item.version)
    assert is_public(item)


def test_withdrawn_warning_stays_readable_with_its_reason(people):
    publisher = people["publisher"]
    item = workflow.create_item(people["editor"], "warning", draft(warning_data()))
    workflow.publish(publisher, item, item.version)
    with pytest.raises(PermissionDenied):
        workflow.withdraw_warning(people["editor"], item, "Lý do", item.version)
    with pytest.raises(workflow.WorkflowError):
        workflow.withdraw_warning(publisher, item, "  ", item.version)
    workflow.withdraw_warning(publisher, item, "Nhà sản xuất đã khắc phục lỗi.", item.version)
    db.session.commit()
    assert item.status == "withdrawn" and item.withdrawn_reason == "Nhà sản xuất đã khắc phục lỗi."
    assert find_public("warning", item.slug).item is item
    assert audit_actions(item)[-1] == "warning.withdraw"


def test_archive_takes_an_item_off_public_surfaces(people):
    publisher = people["publisher"]
    item = workflow.create_item(people["editor"], "article", draft(article_data()))
    workflow.publish(publisher, item, item.version)
    workflow.archive(publisher, item, item.version, "Hết thời sự")
    db.session.commit()
    assert item.status == "archived" and not is_public(item)
    assert outbox(item)[-2:] == ["upsert", "delete"]


def test_restore_makes_an_old_revision_the_new_draft(people):
    editor, publisher = people["editor"], people["publisher"]
    item = workflow.create_item(editor, "article", draft(article_data(body="Đoạn văn gốc.")))
    first = db.session.get(Revision, item.latest_revision_id)
    workflow.publish(publisher, item, item.version)
    workflow.save_draft(editor, item, {**workflow.working_data(item), "body": "Đoạn văn bị sửa hỏng."}, item.version)
    workflow.restore_revision(editor, item, first, item.version)
    db.session.commit()
    restored = db.session.get(Revision, item.latest_revision_id)
    assert restored.action == "restore" and restored.data["body"] == "Đoạn văn gốc."
    assert workflow.working_data(item)["body"] == "Đoạn văn gốc."
    assert item.body == "Đoạn văn gốc."  # the live row was never changed by the drafts
    assert db.session.execute(db.select(db.func.count(Revision.id)).filter_by(
        item_type="article", item_id=item.id)).scalar_one() == 4


def test_slug_change_on_publish_leaves_a_redirect(people):
    editor, publisher = people["editor"], people["publisher"]
    item = workflow.create_item(editor, "warning", draft(warning_data(slug="ten-cu")))
    workflow.publish(publisher, item, item.version)
    workflow.save_draft(editor, item, {**workflow.working_data(item), "slug": "ten-moi"}, item.version)
    assert find_public("warning", "ten-cu").item is item  # still live under the old slug
    workflow.publish(publisher, item, item.version, change_note="Sửa địa chỉ trang.")
    db.session.commit()
    assert find_public("warning", "ten-cu").redirect_slug == "ten-moi"
    assert db.session.execute(db.select(OldSlug.slug).filter_by(item_id=item.id)).scalars().all() == ["ten-cu"]


def test_slug_taken_by_another_item_is_refused(people):
    editor = people["editor"]
    workflow.create_item(editor, "article", draft(article_data(slug="trung-ten")))
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.create_item(editor, "article", draft(article_data(slug="trung-ten")))
    assert refused.value.field == "slug"


def test_only_enforcement_records_and_publishes_sanctions(people, app):
    officer = people["enforcement"]
    data = draft(sanction_data(online=True))
    del data["published_until"]
    with pytest.raises(PermissionDenied):
        workflow.record_sanction(people["publisher"], data)
    item = workflow.record_sanction(officer, data)
    with pytest.raises(PermissionDenied):
        workflow.publish(people["publisher"], item, item.version)
    workflow.publish(officer, item, item.version)
    db.session.commit()
    assert isinstance(item, Sanction) and item.owner_org == "so-cong-thuong"
    window = item.published_until - item.published_from
    assert timedelta(days=30) - timedelta(minutes=1) < window <= timedelta(days=30)
    assert is_public(item)


def test_offline_sanction_default_window_comes_from_config(people, app):
    app.config["SANCTION_DEFAULT_DAYS"] = 90
    data = draft(sanction_data(online=False))
    del data["published_until"]
    item = workflow.record_sanction(people["enforcement"], data)
    start = item.published_from or utcnow()
    assert timedelta(days=89) < item.published_until - start <= timedelta(days=90)


@pytest.mark.parametrize("kind,factory", [("article", article_data), ("warning", warning_data)])
def test_the_whole_editorial_workflow(people, kind, factory):
    editor, publisher = people["editor"], people["publisher"]
    item = workflow.create_item(editor, kind, draft(factory()))
    workflow.save_draft(editor, item, {**workflow.working_data(item), "summary": "Tóm tắt mới."}, item.version)
    workflow.submit_for_review(editor, item, item.version)
    workflow.return_to_draft(publisher, item, item.version, "Thêm nguồn trích dẫn.")
    assert item.status == "draft"
    workflow.submit_for_review(editor, item, item.version)
    workflow.publish(publisher, item, item.version)
    workflow.save_draft(editor, item, {**workflow.working_data(item), "body": "Nội dung cập nhật."}, item.version)
    workflow.publish(publisher, item, item.version, change_note="Cập nhật nội dung.")
    workflow.archive(publisher, item, item.version)
    db.session.commit()
    assert item.body == "Nội dung cập nhật." and item.status == "archived"
    assert [a.split(".")[1] for a in audit_actions(item)] == [
        "create", "save", "submit", "save", "submit", "publish", "save", "publish", "archive"]


def test_whole_enforcement_workflow(people):
    officer = people["enforcement"]
    item = workflow.record_sanction(officer, draft(sanction_data()))
    workflow.publish(officer, item, item.version)
    workflow.save_draft(officer, item, {**workflow.working_data(item), "compliance": "complied"}, item.version)
    assert item.compliance == "pending"
    workflow.publish(officer, item, item.version)
    assert item.compliance == "complied"
    with pytest.raises(PermissionDenied):
        workflow.withdraw_warning(officer, item, "x", item.version)
    workflow.archive(officer, item, item.version)
    db.session.commit()
    assert not is_public(item)


def test_article_permissions_for_enforcement_and_admin(people):
    item = workflow.create_item(people["editor"], "article", draft(article_data()))
    for role in ("enforcement", "admin"):
        with pytest.raises(PermissionDenied):
            workflow.save_draft(people[role], item, workflow.working_data(item), item.version)
        with pytest.raises(PermissionDenied):
            workflow.archive(people[role], item, item.version)
    assert isinstance(item, Article) and item.version == 1



def test_concurrent_saves_from_the_same_version_cannot_both_win(people, app):
    """A second session that read the same version is refused at the database, not only in Python."""
    from sqlalchemy.orm import Session

    editor = people["editor"]
    item = workflow.create_item(editor, "article", draft(article_data()))
    db.session.commit()
    assert item.version == 1  # this session has now read version 1 and keeps it in memory
    with Session(db.engine) as other:
        from portal.content.models import Article as OtherArticle

        rival = other.get(OtherArticle, item.id)
        rival.version += 1  # another request saved in between, after this one read version 1
        other.commit()
    with pytest.raises(workflow.StaleEdit):
        workflow.save_draft(editor, item, {**workflow.working_data(item), "title": "Ghi đè?"}, 1)
    db.session.rollback()
    db.session.refresh(item)
    assert item.version == 2 and item.title != "Ghi đè?"


def test_an_imported_draft_can_be_submitted_and_published(people):
    """Drafts made by the importers (or content files with workflow: draft) enter the same flow."""
    from tests.factories import create

    item = create({**warning_data(), "workflow": "draft", "published_at": None})
    assert item.status == "draft" and not item.has_unpublished_changes
    workflow.submit_for_review(people["editor"], item, item.version)
    workflow.publish(people["publisher"], item, item.version)
    db.session.commit()
    assert is_public(item)


def test_a_live_item_without_changes_has_nothing_to_submit(people):
    item = workflow.create_item(people["editor"], "article", draft(article_data()))
    workflow.publish(people["publisher"], item, item.version)
    with pytest.raises(workflow.WorkflowError):
        workflow.submit_for_review(people["editor"], item, item.version)
