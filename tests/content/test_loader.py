"""The content-file loader: strictness, idempotency, revisions, dump/load round trip."""
from __future__ import annotations

import pytest

from portal.content.loader import LoadError, dump_all, load_paths
from portal.content.models import Article, AuditEntry, Revision, Sanction, SearchOutbox, Warning
from portal.extensions import db

WARNING = """
type: warning
slug: sua-bot-nhiem-chi
title: "Sữa bột trẻ em nhiễm chì"
lang: vi
published_at: 2026-05-14T09:00:00+07:00
category: food
hazards: [chemical, health-risk]
risk_level: serious
product:
  name: "Sữa bột trẻ em"
  brand: "Hiệu Mẫu"
  barcodes: ["0012345678905"]
  batches: ["LOT 2024-11"]
measures:
  - {type: recall, kind: voluntary, by: "Nhà sản xuất"}
source: {authority: EU Safety Gate, reference: "A12/02685/24", url: "https://example.org/a", language: en}
"""

ARTICLE_VI = """
type: article
slug: quyen-cua-nguoi-tieu-dung
title: "Quyền của người tiêu dùng"
lang: vi
published_at: 2026-03-01T08:00:00+07:00
tags: [luat-19-2023]
"""

ARTICLE_EN = """
type: article
slug: consumer-rights
title: "Consumer rights"
lang: en
published_at: 2026-03-01T08:00:00+07:00
translation_of: quyen-cua-nguoi-tieu-dung
"""

SANCTION = """
type: sanction
slug: xu-phat-an-phat
title: "Xử phạt Công ty An Phát"
lang: vi
published_at: 2026-11-10T08:00:00+07:00
demo: true
subject: {name: "Công ty TNHH Minh Họa An Phát", kind: enterprise, tax_code: "0200000001", ward: "Phường Lê Chân"}
violation: "Không công khai thông tin người bán."
decision: {number: "15/QĐ-XPHC", date: 2026-11-05, authority: "Sở Công Thương Hải Phòng"}
fine_vnd: 15000000
online: true
published_until: 2026-12-10T08:00:00+07:00
"""


def count(model) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def test_load_creates_items_with_revision_audit_and_outbox(app, write_content):
    write_content("warnings/sua.md", WARNING)
    write_content("articles/vi.md", ARTICLE_VI)
    write_content("articles/en.md", ARTICLE_EN)
    write_content("sanctions/s.md", SANCTION)
    report = load_paths([write_content.folder])
    assert len(report.created) == 4
    warning = db.session.execute(db.select(Warning)).scalar_one()
    assert warning.barcodes == ["0012345678905"] and warning.source_reference == "A12/02685/24"
    assert warning.measures == [{"type": "recall", "kind": "voluntary", "by": "Nhà sản xuất"}]
    english = db.session.execute(db.select(Article).filter_by(slug="consumer-rights")).scalar_one()
    assert english.translation_of.slug == "quyen-cua-nguoi-tieu-dung"
    sanction = db.session.execute(db.select(Sanction)).scalar_one()
    assert sanction.published_from == sanction.published_at and sanction.fine_vnd == 15_000_000
    assert count(Revision) == 4 and count(SearchOutbox) == 4
    assert count(AuditEntry) == 5  # one per item and one for the load


def test_loading_twice_changes_nothing(app, write_content):
    write_content("warnings/sua.md", WARNING)
    load_paths([write_content.folder])
    before = (count(Revision), count(SearchOutbox), count(AuditEntry))
    report = load_paths([write_content.folder])
    assert report.created == [] and report.updated == [] and len(report.unchanged) == 1
    assert (count(Revision), count(SearchOutbox), count(AuditEntry)) == before


def test_changed_file_updates_row_and_writes_revision(app, write_content):
    path = write_content("warnings/sua.md", WARNING)
    load_paths([write_content.folder])
    path.write_text(path.read_text().replace("risk_level: serious", "risk_level: high"))
    report = load_paths([write_content.folder])
    assert len(report.updated) == 1
    warning = db.session.execute(db.select(Warning)).scalar_one()
    assert warning.risk_level == "high" and warning.version == 2
    revisions = db.session.execute(db.select(Revision).order_by(Revision.id)).scalars().all()
    assert [r.data["risk_level"] for r in revisions] == ["serious", "high"]


BAD_FILES = {
    "unknown key": (WARNING + "colour: red\n", "colour"),
    "unknown nested key": (WARNING.replace('brand: "Hiệu Mẫu"', 'brand: "Hiệu Mẫu"\n  colour: red'), "product.colour"),
    "missing title": (WARNING.replace('title: "Sữa bột trẻ em nhiễm chì"\n', ""), "title"),
    "missing product name": (WARNING.replace('  name: "Sữa bột trẻ em"\n', ""), "product.name"),
    "bad date": (WARNING.replace("2026-05-14T09:00:00+07:00", "14/05/2026"), "published_at"),
    "date without offset": (WARNING.replace("2026-05-14T09:00:00+07:00", '"2026-05-14T09:00:00"'), "published_at"),
    "unknown category": (WARNING.replace("category: food", "category: snacks"), "category"),
    "unknown risk level": (WARNING.replace("risk_level: serious", "risk_level: extreme"), "risk_level"),
    "unknown hazard": (WARNING.replace("health-risk", "boredom"), "hazards[1]"),
    "bad measure": (WARNING.replace("type: recall", "type: nuke"), "measures[0].type"),
    "bad slug": (WARNING.replace("slug: sua-bot-nhiem-chi", "slug: Sữa Bột"), "slug"),
    "bad barcode": (WARNING.replace('"0012345678905"', '"ABC"'), "product.barcodes[0]"),
    "bad fine": (SANCTION.replace("fine_vnd: 15000000", "fine_vnd: many"), "fine_vnd"),
    "bad decision date": (SANCTION.replace("date: 2026-11-05", "date: soon"), "decision.date"),
    "window ends before start": (SANCTION.replace("2026-12-10T08", "2026-10-10T08"), "published_until"),
    "unknown subject kind": (SANCTION.replace("kind: enterprise", "kind: robot"), "subject.kind"),
    "bad yaml": (WARNING + "title: [unclosed\n", "front matter"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_rejected_naming_file_and_field_and_nothing_is_loaded(app, write_content, case):
    text, field = BAD_FILES[case]
    write_content("articles/good.md", ARTICLE_VI)
    bad = write_content("zz/bad.md", text)
    with pytest.raises(LoadError) as info:
        load_paths([write_content.folder])
    message = str(info.value)
    assert str(bad) in message and f": {field}:" in message
    assert count(Article) == 0 and count(Revision) == 0 and count(SearchOutbox) == 0


def test_translation_of_missing_target_is_rejected(app, write_content):
    write_content("articles/en.md", ARTICLE_EN)
    with pytest.raises(LoadError, match="translation_of"):
        load_paths([write_content.folder])
    assert count(Article) == 0


def test_duplicate_slug_in_one_run_is_rejected(app, write_content):
    write_content("a/one.md", ARTICLE_VI)
    write_content("b/two.md", ARTICLE_VI)
    with pytest.raises(LoadError, match="also used by"):
        load_paths([write_content.folder])


def test_file_without_front_matter_is_rejected(app, write_content, tmp_path):
    path = write_content.folder / "x.md"
    path.parent.mkdir(parents=True)
    path.write_text("Chỉ có nội dung.")
    with pytest.raises(LoadError, match="front matter"):
        load_paths([path])


def test_dump_then_load_gives_the_same_content(app, write_content, tmp_path):
    write_content("warnings/sua.md", WARNING)
    write_content("articles/vi.md", ARTICLE_VI)
    write_content("articles/en.md", ARTICLE_EN)
    write_content("sanctions/s.md", SANCTION)
    load_paths([write_content.folder])
    dumped = tmp_path / "dump"
    assert dump_all(dumped) == 4
    report = load_paths([dumped])
    assert len(report.unchanged) == 4 and not report.created and not report.updated
    again = tmp_path / "dump2"
    dump_all(again)
    for path in sorted(dumped.rglob("*.md")):
        assert (again / path.relative_to(dumped)).read_text() == path.read_text()


def test_cli_load_exits_non_zero_and_names_the_file(app, runner, write_content):
    bad = write_content("warnings/bad.md", WARNING.replace("risk_level: serious", "risk_level: extreme"))
    result = runner.invoke(args=["content", "load", str(write_content.folder)])
    assert result.exit_code != 0
    assert str(bad) in result.output and "risk_level" in result.output
    ok = write_content("warnings/bad.md", WARNING)
    result = runner.invoke(args=["content", "load", str(ok)])
    assert result.exit_code == 0 and "1 created" in result.output


def test_documents_load_in_batches_with_translations_across_them(app, monkeypatch):
    from portal.content import loader
    from portal.content.generation import current
    from portal.content.models import Revision, SearchOutbox, Warning
    from tests.factories import warning_data

    monkeypatch.setattr(loader, "BATCH", 2)
    before = current()
    originals = [warning_data() for _ in range(3)]
    translations = [warning_data(lang="en", translation_of=data["slug"]) for data in originals]
    report = loader.load_documents([(f"doc-{n}", data) for n, data in enumerate(translations + originals)])
    assert len(report.created) == 6
    rows = {w.slug: w for w in db.session.execute(db.select(Warning)).scalars()}
    assert all(rows[t["slug"]].translation_of.slug == t["translation_of"] for t in translations)
    assert db.session.execute(db.select(db.func.count(Revision.id))).scalar() == 6
    assert db.session.execute(db.select(db.func.count(SearchOutbox.id))).scalar() == 6
    assert current().counter == before.counter + 3  # one bump per batch of public changes
    again = loader.load_documents([(f"doc-{n}", data) for n, data in enumerate(translations + originals)])
    assert len(again.unchanged) == 6 and current().counter == before.counter + 3


def test_a_bad_document_names_its_source_and_nothing_is_kept(app):
    from portal.content import loader
    from portal.content.models import Warning
    from tests.factories import warning_data

    good, bad = warning_data(), warning_data(risk_level="apocalyptic")
    with pytest.raises(LoadError) as caught:
        loader.load_documents([("good", good), ("feed.xml#2", bad)])
    assert "feed.xml#2: risk_level" in str(caught.value)
    assert db.session.execute(db.select(Warning)).first() is None


@pytest.mark.parametrize("line, field", [
    ("published_at: 2026-13-01T08:00:00+07:00", "published_at"),
    ("published_at: 2026-02-30", "published_at"),
])
def test_impossible_date_names_the_file_and_the_field(app, runner, write_content, line, field):
    path = write_content("warnings/ngay-sai.md", f"""
type: warning
slug: ngay-sai
title: Ngày sai
lang: vi
{line}
category: toys
hazards: [choking]
risk_level: serious
product: {{name: Đồ chơi}}
""")
    result = runner.invoke(args=["content", "load", str(path)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert f"{path}: {field}:" in result.output and "nothing was loaded" in result.output
