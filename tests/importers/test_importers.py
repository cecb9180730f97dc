"""Importing foreign recall records: facts kept, identity, re-import, linking, wrong files, reports."""
from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from portal.content.models import AuditEntry, Warning
from portal.content.queries import public_warnings
from portal.extensions import db
from portal.importers.base import ImportFileError
from portal.importers.codes import gtin_valid, split_codes
from portal.importers.models import LINKED, ImportRecord
from portal.importers.service import import_file
from tests.factories import create, warning_data

CPSC_RECORD = {
    "id": 10924, "number": "26696", "date": "2026-08-13",
    "title": "Ritchey Design Recalls Carbon Bicycle Forks Due to Risk of Serious Injury or Death from Fall and Crash Hazards",
    "name": "Ritchey Carbon Fiber Bicycle Forks",
    "hazard": "The insert can come loose, posing a risk of serious injury or death from a fall and crash hazard.",
    "remedy": "Stop using the bicycles.", "units": "About 775", "description": "Carbon forks, model RF-2 only.",
    "url": "https://www.cpsc.gov/Recalls/2026/x", "image": "https://www.cpsc.gov/s3fs-public/carbike-1.png",
    "injuries": "None reported.", "upcs": ["012345678905", "012345678901"],
    "nameTokens": [], "brandTokens": ["ritchey", "design"], "modelTokens": ["rf-2"],
}
EU_RECORDS = [
    {"alert_number": "A12/00730/21", "brand": "Mercedes-Benz", "barcode": "None", "batch_number": "None",
     "product_category": "Motor vehicles", "product_name": "Passenger car", "product_description": "CLA, GLA",
     "risk_type": "Fire, Injuries", "country_of_origin": "Germany", "case_url": "None", "published_on": None,
     "compulsory_measures": "None", "voluntary_measures": "Recall of the product from end users", "images": None},
    {"alert_number": "A12/02445/24", "brand": "Bijou Brigitte", "barcode": "4049077806845\nB0CHYPVWHV",
     "batch_number": "010248; 120739\n010248; 120783", "product_category": "Jewellery",
     "product_name": "Belly button piercing", "product_description": "Titan", "risk_type": "Chemical",
     "case_url": "None", "published_on": None, "images": None},
    {"alert_number": None, "product_category": "None", "product_name": "Slime", "risk_type": "None",
     "images": "https://www.soi.sk/a.jpg,https://www.soi.sk/b.jpg"},
]


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def cpsc_file(tmp_path, **changes):
    return write(tmp_path, "cpsc.json", {"recalls": [dict(CPSC_RECORD, **changes)]})


def only_warning() -> Warning:
    return db.session.execute(db.select(Warning)).scalar_one()


def test_gtin_check_digit_decides_barcode_or_product_code():
    assert gtin_valid("012345678905") and gtin_valid("4049077806845")
    assert not gtin_valid("012345678901") and not gtin_valid("871565899960")
    assert split_codes(["012345678905 012345678901", "B0CHYPVWHV"]) == (["012345678905"], ["012345678901", "B0CHYPVWHV"])


def test_cpsc_record_keeps_every_fact_as_an_unpublished_draft(app, tmp_path):
    report = import_file(cpsc_file(tmp_path), "cpsc")
    assert report.created == ["26696"]
    warning = only_warning()
    assert warning.status == "draft" and warning.lang == "en" and warning.published_at is None
    assert warning.brand == "Ritchey" and warning.manufacturer == "Ritchey Design"
    assert warning.model == "RF-2" and "RF-2" in warning.product_codes
    assert warning.source_date == date(2026, 8, 13) and warning.source_url == "https://www.cpsc.gov/Recalls/2026/x"
    assert warning.barcodes == ["012345678905"] and "012345678901" in warning.product_codes
    assert warning.category == "sports" and warning.hazards == ["injuries"] and warning.risk_level == "unknown"
    record = db.session.execute(db.select(ImportRecord)).scalar_one()
    assert record.image_urls == ["https://www.cpsc.gov/s3fs-public/carbike-1.png"] and warning.images == []
    assert record.original["title"].startswith("Ritchey Design Recalls")
    assert db.session.execute(public_warnings()).scalars().all() == []


def test_shock_absorber_is_not_electric_shock(app, tmp_path):
    import_file(cpsc_file(tmp_path, hazard="The rear shock absorber can break, posing a fall hazard.",
                          title="Bikes Recalled"), "cpsc")
    assert only_warning().hazards == ["injuries"]


def test_safety_gate_keeps_pairs_codes_and_car_models_and_reports_skips(app, tmp_path):
    report_csv = tmp_path / "skipped.csv"
    report = import_file(write(tmp_path, "eu.json", EU_RECORDS), "safety-gate", report_path=report_csv)
    assert report.created == ["A12/00730/21", "A12/02445/24"] and len(report.skipped) == 1
    car = db.session.execute(db.select(Warning).filter_by(source_reference="A12/00730/21")).scalar_one()
    assert car.model == "CLA, GLA" and car.brand == "Mercedes-Benz" and set(car.hazards) == {"fire", "injuries"}
    assert car.source_url == "" and car.source_date is None and car.category == "motor-vehicles"
    piercing = db.session.execute(db.select(Warning).filter_by(source_reference="A12/02445/24")).scalar_one()
    assert piercing.batches == ["010248; 120739", "010248; 120783"]
    assert piercing.barcodes == ["4049077806845"] and piercing.product_codes == ["B0CHYPVWHV"]
    with report_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [{"position": "#3", "reference": "", "reason": rows[0]["reason"]}]
    assert rows[0]["reason"].startswith("no alert number")


def test_fda_and_us_recalls_keep_dates_classes_and_only_real_notice_links(app, tmp_path):
    xml = tmp_path / "fda.xml"
    xml.write_text("<?xml version='1.0'?><RECALLS_DATA><PRODUCT><DATE>Mon, 15 Apr 2013 22:36:00 -0400</DATE>"
                   "<BRAND_NAME><![CDATA[Toft&#39;s]]></BRAND_NAME><PRODUCT_DESCRIPTION><![CDATA[Ice Cream]]>"
                   "</PRODUCT_DESCRIPTION><REASON><![CDATA[Salmonella]]></REASON><COMPANY><![CDATA[Toft Dairy]]>"
                   "</COMPANY><COMPANY_RELEASE_LINK>http://www.fda.gov/Safety/Recalls/ucm323302.htm"
                   "</COMPANY_RELEASE_LINK><PHOTOS_LINK></PHOTOS_LINK></PRODUCT></RECALLS_DATA>", encoding="utf-8")
    assert import_file(xml, "fda").created == ["ucm323302"]
    ice = only_warning()
    assert ice.brand == "Toft's" and ice.manufacturer == "Toft Dairy" and ice.category == "food"
    assert ice.hazards == ["microbiological"] and ice.source_date == date(2013, 4, 15)
    us = {"recalls": [
        {"id": "fda-food-H-1219-2026", "category": "food", "categoryLabel": "Food", "title": "Cottage Cheese 16 oz",
         "date": "2026-08-12", "description": "Products may be contaminated with Listeria monocytogenes.",
         "url": "https://www.fda.gov/safety/recalls-market-withdrawals-safety-alerts", "brand": "La Colonia Foods",
         "hazard": "Class I", "source": "FDA"},
        {"id": "fda-food-N/A", "category": "food", "categoryLabel": "Food", "title": "Pastry", "date": "2026-07-08",
         "description": "undeclared colors", "url": "", "brand": "Le Chef", "hazard": "Class II", "source": "FDA"},
        {"id": "nhtsa-26V514000-toyota-Tacoma-2025", "category": "vehicles", "categoryLabel": "Vehicles",
         "title": "2025 Toyota Tacoma — SUSPENSION:REAR:SHOCK ABSORBER", "date": "2026-08-06",
         "description": "The rear shock absorber may detach.", "url": "https://www.nhtsa.gov/recalls?nhtsaId=26V514000",
         "brand": "Toyota", "hazard": "SUSPENSION:REAR:SHOCK ABSORBER", "source": "NHTSA"}]}
    report = import_file(write(tmp_path, "us.json", us), "us-recalls")
    assert report.created == ["H-1219-2026", "26V514000-toyota-Tacoma-2025"] and len(report.skipped) == 1
    cheese = db.session.execute(db.select(Warning).filter_by(source_reference="H-1219-2026")).scalar_one()
    assert cheese.risk_level == "serious" and cheese.source_url == "" and cheese.source_authority == "US FDA"
    car = db.session.execute(db.select(Warning).filter_by(source_authority="US NHTSA")).scalar_one()
    assert car.category == "motor-vehicles" and car.hazards == ["injuries"] and car.model == "Toyota Tacoma (2025)"
    assert car.source_url.endswith("nhtsaId=26V514000")


def test_reimport_updates_an_untouched_draft_and_never_duplicates(app, tmp_path):
    import_file(cpsc_file(tmp_path), "cpsc")
    again = import_file(cpsc_file(tmp_path), "cpsc")
    assert again.unchanged == ["26696"] and again.created == []
    changed = import_file(cpsc_file(tmp_path, units="About 900"), "cpsc")
    assert changed.updated == ["26696"]
    assert only_warning().units == "About 900"
    actions = db.session.execute(db.select(AuditEntry.action)).scalars().all()
    assert actions.count("warning.import") == 1 and actions.count("warning.import-update") == 1


def test_reimport_of_a_translated_draft_with_a_new_slug_only_records_a_note(app, tmp_path):
    from portal.content import workflow
    from tests.admin.helpers import make_user

    import_file(cpsc_file(tmp_path), "cpsc")
    editor = make_user("editor")
    warning = only_warning()
    data = workflow.working_data(warning)
    data.update(slug="phuoc-xe-dap-ritchey", lang="vi", title="Phuộc xe đạp Ritchey có thể gây ngã")
    workflow.save_draft(editor, warning, data, warning.version)
    db.session.commit()
    report = import_file(cpsc_file(tmp_path, remedy="Stop using the bicycles and call Ritchey."), "cpsc")
    assert report.noted == ["26696"] and report.created == []
    warning = only_warning()
    assert warning.slug == "phuoc-xe-dap-ritchey" and warning.lang == "vi" and warning.what_to_do == "Stop using the bicycles."
    record = db.session.execute(db.select(ImportRecord)).scalar_one()
    assert "what_to_do" in record.notes[-1]["text"]


def test_record_matching_a_published_warning_is_linked_not_imported(app, tmp_path):
    existing = create(warning_data(source={"authority": "US CPSC", "reference": "cpsc-10924", "language": "en"}))
    db.session.commit()
    report = import_file(cpsc_file(tmp_path), "cpsc")
    assert report.linked == ["26696"] and report.created == []
    assert db.session.execute(db.select(Warning)).scalars().all() == [existing]
    record = db.session.execute(db.select(ImportRecord)).scalar_one()
    assert record.state == LINKED and record.warning_id == existing.id
    assert import_file(cpsc_file(tmp_path), "cpsc").unchanged == ["26696"]


def test_bundled_warnings_are_linked(app, tmp_path):
    from pathlib import Path

    from portal.content.loader import load_paths

    load_paths([Path(__file__).resolve().parents[2] / "content" / "warnings"])
    before = db.session.execute(db.select(Warning.id)).scalars().all()
    bundled = {"alert_number": "A12/03693/24", "brand": "Limmys", "product_category": "Protective equipment",
               "product_name": "Swim vest", "risk_type": "Drowning", "case_url": "None", "published_on": None}
    report = import_file(write(tmp_path, "eu.json", [bundled]), "safety-gate")
    assert report.linked == ["A12/03693/24"]
    assert db.session.execute(db.select(Warning.id)).scalars().all() == before


@pytest.mark.parametrize("kind, name, expected", [
    ("cpsc", "eu.json", "US CPSC recalls JSON file"),
    ("safety-gate", "cpsc.json", "EU Safety Gate JSON file"),
    ("fda", "cpsc.json", "US FDA recalls XML file"),
    ("us-recalls", "cpsc.json", "US recalls JSON file"),
])
def test_wrong_file_is_refused_naming_the_expected_format(app, runner, tmp_path, kind, name, expected):
    write(tmp_path, "eu.json", EU_RECORDS)
    cpsc_file(tmp_path)
    result = runner.invoke(args=["import", kind, str(tmp_path / name)])
    assert result.exit_code != 0
    assert expected in result.output and "nothing was imported" in result.output
    assert db.session.execute(db.select(Warning)).first() is None


@pytest.mark.parametrize("text", ["not json", "{\"recalls\": 3}", "[1, 2]", "{\"recalls\": []}"])
def test_broken_file_is_refused(app, tmp_path, text):
    path = tmp_path / "broken.json"
    path.write_text(text)
    with pytest.raises(ImportFileError):
        import_file(path, "cpsc")
    assert db.session.execute(db.select(Warning)).first() is None


def test_cli_reports_counts_and_writes_the_skipped_rows(app, runner, tmp_path):
    report = tmp_path / "skipped.csv"
    result = runner.invoke(args=["import", "safety-gate", str(write(tmp_path, "eu.json", EU_RECORDS)),
                                 "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "3 read, 2 imported as drafts" in result.output and "1 skipped" in result.output
    assert "import safety-gate: 3/3 records" in result.output  # not a terminal: log lines, no bar
    assert str(report) in result.output and report.exists()
