"""Importing foreign recall records as draft warnings."""
from __future__ import annotations

import json

import pytest

from portal.content.importers import ImportFileError, import_file
from portal.content.models import AuditEntry, Warning
from portal.content.queries import public_warnings
from portal.extensions import db

CPSC = {"recalls": [{
    "id": 1, "number": "26696", "date": "2026-08-13", "title": "Ritchey Recalls Carbon Bicycle Forks",
    "name": "Ritchey Carbon Fiber Bicycle Forks", "hazard": "The insert can come loose, posing a fall and crash hazard.",
    "remedy": "Stop using the bicycles.", "units": "About 775", "description": "Carbon forks.",
    "url": "https://www.cpsc.gov/Recalls/2026/x", "injuries": "None reported.", "upcs": ["012345678905"],
}]}
EU = [
    {"alert_number": "A12/00730/21", "brand": "Mercedes-Benz", "barcode": "8055186669918\n8055186669925",
     "batch_number": "010248; 120739", "product_category": "Motor vehicles", "product_name": "Passenger car",
     "product_description": "CLA, GLA", "risk_type": "Fire, Injuries", "country_of_origin": "Germany",
     "case_url": "None", "compulsory_measures": "None", "voluntary_measures": "Recall of the product from end users"},
    {"alert_number": None, "product_name": "Slime", "risk_type": "Chemical"},
]


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_cpsc_import_creates_unpublished_drafts_once(app, tmp_path):
    path = write(tmp_path, "cpsc.json", CPSC)
    report = import_file(path, "cpsc")
    assert report.created == ["26696"]
    warning = db.session.execute(db.select(Warning)).scalar_one()
    assert warning.status == "draft" and warning.lang == "en" and warning.slug == "cpsc-26696"
    assert warning.barcodes == ["012345678905"] and "injuries" in warning.hazards
    assert warning.source_url == "https://www.cpsc.gov/Recalls/2026/x" and warning.units == "About 775"
    assert db.session.execute(public_warnings()).scalars().all() == []
    again = import_file(path, "cpsc")
    assert again.created == [] and again.existing == ["26696"]
    actions = db.session.execute(db.select(AuditEntry.action)).scalars().all()
    assert actions.count("warning.import") == 1 and actions.count("content.import") == 2


def test_safety_gate_import_maps_fields_and_skips_records_without_reference(app, tmp_path):
    report = import_file(write(tmp_path, "eu.json", EU), "safety-gate")
    assert report.created == ["A12/00730/21"] and report.skipped == [("#2", "no reference number")]
    warning = db.session.execute(db.select(Warning)).scalar_one()
    assert warning.category == "motor-vehicles" and set(warning.hazards) == {"fire", "injuries"}
    assert warning.barcodes == ["8055186669918", "8055186669925"] and warning.batches == ["010248", "120739"]
    assert warning.measures[0]["kind"] == "voluntary"


@pytest.mark.parametrize("text", ["not json", "{\"recalls\": 3}", "[1, 2]"])
def test_broken_file_is_refused_and_nothing_is_imported(app, tmp_path, text):
    path = tmp_path / "broken.json"
    path.write_text(text)
    with pytest.raises(ImportFileError):
        import_file(path, "cpsc")
    assert db.session.execute(db.select(Warning)).first() is None


def test_cli_import_reports_counts(app, runner, tmp_path):
    result = runner.invoke(args=["import", "cpsc", str(write(tmp_path, "cpsc.json", CPSC))])
    assert result.exit_code == 0 and "1 imported as drafts" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = runner.invoke(args=["import", "safety-gate", str(bad)])
    assert result.exit_code != 0 and "nothing was imported" in result.output
