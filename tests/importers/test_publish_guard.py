"""An imported warning is published only in Vietnamese, with its classification confirmed."""
from __future__ import annotations

import json

import pytest

from portal.content import workflow
from portal.content.models import Warning
from portal.extensions import db
from portal.importers import queue
from portal.importers.models import DISCARDED, ImportRecord
from portal.importers.service import import_file
from tests.admin.helpers import make_user

EU = [{"alert_number": "A12/02445/24", "brand": "Bijou Brigitte", "barcode": "4049077806845",
       "product_category": "Jewellery", "product_name": "Belly button piercing", "product_description": "Titan",
       "risk_type": "Chemical", "case_url": "None", "published_on": None}]
VI = {"title": "Khuyên rốn Bijou Brigitte chứa niken vượt ngưỡng",
      "summary": "Khuyên rốn giải phóng niken quá giới hạn cho phép, có thể gây dị ứng da.",
      "what_to_do": "Ngừng đeo sản phẩm và mang trả lại nơi bán."}


@pytest.fixture
def imported(app, tmp_path):
    path = tmp_path / "eu.json"
    path.write_text(json.dumps(EU))
    import_file(path, "safety-gate")
    return db.session.execute(db.select(ImportRecord)).scalar_one()


def test_untranslated_unconfirmed_import_cannot_be_published(imported):
    publisher = make_user("publisher")
    warning = imported.warning
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.publish(publisher, warning, warning.version)
    assert error.value.field == "lang"
    db.session.rollback()
    assert db.session.get(Warning, warning.id).status == "draft"


def test_translated_but_unconfirmed_import_cannot_be_published(imported):
    editor, publisher = make_user("editor"), make_user("publisher")
    warning = imported.warning
    data = workflow.working_data(warning)
    data.update(VI, lang="vi", risk_level="high")
    workflow.save_draft(editor, warning, data, warning.version)
    db.session.commit()
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.publish(publisher, warning, warning.version)
    assert error.value.field == "risk_level"


def test_confirmed_translation_can_be_published_and_shows_its_source(imported, client):
    editor, publisher = make_user("editor"), make_user("publisher")
    warning = imported.warning
    with pytest.raises(workflow.WorkflowError):
        queue.confirm_and_translate(editor, imported, warning.version, VI, "clothing", "unknown")
    queue.confirm_and_translate(editor, imported, warning.version, VI, "clothing", "high")
    db.session.commit()
    workflow.publish(publisher, warning, warning.version)
    db.session.commit()
    assert warning.status == "published" and warning.lang == "vi" and warning.published_at is not None
    page = client.get(f"/canh-bao/{warning.slug}").get_data(as_text=True)
    assert "EU Safety Gate" in page and "A12/02445/24" in page
    assert "https://ec.europa.eu/safety-gate-alerts/screen/search" in page  # no notice URL: the search page
    assert "Ngày cơ quan nguồn công bố" not in page  # the file has no date: none is shown


def test_confirming_a_different_category_changes_the_draft(imported):
    editor = make_user("editor")
    queue.confirm_and_translate(editor, imported, imported.warning.version, VI, "chemicals", "medium")
    assert imported.warning.category == "chemicals" and imported.confirmed_by_id == editor.id


def test_source_date_is_shown_as_the_source_date(app, client, tmp_path):
    from tests.factories import create, warning_data

    warning = create(warning_data(source={"authority": "US CPSC", "reference": "26696", "language": "en",
                                          "date": "2026-08-13"}))
    db.session.commit()
    page = client.get(f"/canh-bao/{warning.slug}").get_data(as_text=True)
    assert "Ngày cơ quan nguồn công bố" in page and "13/08/2026" in page


def test_discard_keeps_the_record_so_the_next_run_does_not_bring_it_back(imported, tmp_path):
    editor = make_user("editor")
    assert queue.discard(editor, [imported], "Không bán tại Việt Nam") == 1
    db.session.commit()
    assert imported.state == DISCARDED and imported.warning.status == "archived"
    path = tmp_path / "eu.json"
    report = import_file(path, "safety-gate")
    assert report.created == [] and report.unchanged == ["A12/02445/24"]


def test_only_editors_may_assign_and_discard(imported):
    from portal.content.permissions import PermissionDenied

    enforcement = make_user("enforcement")
    with pytest.raises(PermissionDenied):
        queue.discard(enforcement, [imported], "x")
    editor = make_user("editor")
    assert queue.assign(editor, [imported], editor) == 1
    with pytest.raises(workflow.WorkflowError):
        queue.assign(editor, [imported], enforcement)


def test_a_save_from_the_edit_form_keeps_codes_and_source_date(app):
    from tests.factories import create, warning_data

    editor = make_user("editor")
    warning = create(warning_data(published_at=None, workflow="draft",
                                  product={"name": "Đồ chơi", "codes": ["B0CHYPVWHV"]},
                                  source={"authority": "US CPSC", "reference": "26696", "date": "2026-08-13"}))
    db.session.commit()
    data = workflow.working_data(warning)
    data["product"] = {k: v for k, v in data["product"].items() if k != "codes"}  # the edit form has no such field
    data["source"] = {k: v for k, v in data["source"].items() if k != "date"}
    data["title"] = "Tiêu đề mới"
    workflow.save_draft(editor, warning, data, warning.version)
    assert warning.product_codes == ["B0CHYPVWHV"] and warning.source_date.isoformat() == "2026-08-13"
