"""Running an import: one item per source record, identity by (authority, reference).

A new record becomes an English draft owned by Sở Công Thương. A record seen before updates its
draft while no editor has touched it; once an editor has, the change is written as a note on the
import record for them to read. A record matching a warning the portal already has (bundled or
written by hand) is linked to it, not imported again. The run is one transaction: a file that is
not of the expected format imports nothing.
"""
from __future__ import annotations

import csv
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..content.models import DRAFT, Warning, utcnow
from ..content.schema import ContentError, apply, validate
from ..content.services import _jsonable, audit, record_change
from ..extensions import db
from . import cpsc, fda, safety_gate, us_recalls
from .base import ImportFileError, SkipRecord, SourceRecord
from .models import IMPORTED, LINKED, ImportRecord

SOURCES = {"cpsc": cpsc, "safety-gate": safety_gate, "fda": fda, "us-recalls": us_recalls}
ORIGINAL_KEYS = ("title", "summary", "what_to_do", "body")


@dataclass
class ImportReport:
    kind: str
    read: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    noted: list[str] = field(default_factory=list)     # changed at the source, draft edited: note written
    linked: list[str] = field(default_factory=list)    # matched a warning the portal already had
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (position, reference, reason)
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"{self.kind}: {self.read} read, {len(self.created)} imported as drafts, {len(self.updated)} drafts "
                f"updated, {len(self.unchanged)} unchanged, {len(self.noted)} changes noted on edited drafts, "
                f"{len(self.linked)} linked to existing warnings, {len(self.skipped)} skipped "
                f"({self.seconds:.1f} s)")


def fingerprint(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(_jsonable(content), sort_keys=True).encode()).hexdigest()


class _Index:
    """What the database already holds, loaded once per run."""

    def __init__(self) -> None:
        self.records = {(r.authority, r.reference): r for r in db.session.execute(db.select(ImportRecord)).scalars()}
        self.warnings: dict[tuple[str, str], int] = {}
        self.urls: dict[str, int] = {}
        rows = db.session.execute(db.select(Warning.id, Warning.slug, Warning.source_authority,
                                            Warning.source_reference, Warning.source_url))
        self.slugs: set[str] = set()
        for wid, slug, authority, reference, url in rows:
            self.slugs.add(slug)
            if reference:
                self.warnings.setdefault((authority, reference), wid)
            if url:
                self.urls.setdefault(url.rstrip("/").lower(), wid)

    def record(self, src: SourceRecord) -> ImportRecord | None:
        for reference in [src.reference, *src.aliases]:
            found = self.records.get((src.authority, reference))
            if found is not None:
                return found
        return None

    def warning(self, src: SourceRecord) -> int | None:
        for reference in [src.reference, *src.aliases]:
            if (src.authority, reference) in self.warnings:
                return self.warnings[(src.authority, reference)]
        url = (src.content["source"].get("url") or "").rstrip("/").lower()
        return self.urls.get(url) if url else None

    def free_slug(self, slug: str) -> str:
        candidate, n = slug, 1
        while candidate in self.slugs:
            n += 1
            candidate = f"{slug[:190]}-{n}"
        self.slugs.add(candidate)
        return candidate


def read_file(path: str | Path, kind: str) -> list[dict[str, Any]]:
    """The raw records of ``path`` read as ``kind``; ImportFileError naming the expected format."""
    if kind not in SOURCES:
        raise ImportFileError(f"unknown source {kind!r}; expected one of {', '.join(SOURCES)}")
    path = Path(path)
    try:
        return SOURCES[kind].read(path)
    except OSError as exc:
        raise ImportFileError(f"{path.name}: cannot be read ({exc.strerror})") from None


def import_file(path: str | Path, kind: str, label: str = "cli",
                progress: Callable[[Iterable], Iterable] = lambda records: records,
                report_path: str | Path | None = None) -> ImportReport:
    """Import the records of ``path`` as draft warnings (see the module docstring)."""
    started = time.monotonic()
    records = read_file(path, kind)
    report = ImportReport(kind=kind, read=len(records))
    try:
        index = _Index()
        with db.session.no_autoflush:
            for position, raw in enumerate(progress(records), start=1):
                _one(SOURCES[kind], kind, position, raw, index, report, label)
        audit("content.import", None, None, {
            "file": Path(path).name, "kind": kind, "read": report.read, "created": len(report.created),
            "updated": len(report.updated), "linked": len(report.linked), "noted": len(report.noted),
            "skipped": len(report.skipped)}, label=label)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    report.seconds = time.monotonic() - started
    if report_path is not None and report.skipped:
        write_skipped(report, report_path)
    return report


def write_skipped(report: ImportReport, path: str | Path) -> Path:
    """The skipped rows as CSV: position in the file, reference (if any), reason."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["position", "reference", "reason"])
        writer.writerows(report.skipped)
    return path


def _one(source, kind: str, position: int, raw: dict[str, Any], index: _Index, report: ImportReport,
         label: str) -> None:
    try:
        src = source.convert(raw)
        clean = validate(src.content)
    except SkipRecord as skip:
        report.skipped.append((f"#{position}", skip.reference, skip.reason))
        return
    except ContentError as exc:
        report.skipped.append((f"#{position}", src.reference, f"{exc.field}: {exc.message}"))
        return
    now = utcnow()
    digest = fingerprint(src.content)
    record = index.record(src)
    if record is None:
        existing = index.warning(src)
        record = ImportRecord(source=kind, authority=src.authority, reference=src.reference,
                              source_date=src.source_date, image_urls=src.image_urls, fingerprint=digest,
                              original=_jsonable({k: clean.get(k, "") for k in ORIGINAL_KEYS}),
                              first_imported_at=now, last_seen_at=now, notes=[])
        if existing is not None:
            record.state, record.warning_id = LINKED, existing
            report.linked.append(src.reference)
        else:
            clean["slug"] = index.free_slug(clean["slug"])
            item = Warning(owner_org="so-cong-thuong", has_unpublished_changes=True)
            apply(item, clean)
            record_change(item, "import", None, label=label, data=clean)
            record.state, record.warning = IMPORTED, item
            record.imported_version = item.version
            report.created.append(src.reference)
        db.session.add(record)
        index.records[(src.authority, src.reference)] = record
        return
    record.last_seen_at = now
    if record.fingerprint == digest:
        report.unchanged.append(src.reference)
        return
    item = record.warning
    untouched = (record.state == IMPORTED and item is not None and item.status == DRAFT
                 and item.version == record.imported_version)
    if untouched:
        clean["slug"] = item.slug
        apply(item, clean)
        record_change(item, "import-update", None, label=label, data=clean)
        record.imported_version = item.version
        report.updated.append(src.reference)
    else:
        before = record.original or {}
        after = _jsonable({k: clean.get(k, "") for k in ORIGINAL_KEYS})
        changed = [k for k in ORIGINAL_KEYS if before.get(k) != after.get(k)] or ["structured fields"]
        record.notes = [*record.notes, {"at": now.isoformat(), "text": "The source record changed ("
                                        + ", ".join(changed) + "); the draft was edited, so it was not updated."}]
        report.noted.append(src.reference)
    record.original = _jsonable({k: clean.get(k, "") for k in ORIGINAL_KEYS})
    record.fingerprint, record.source_date, record.image_urls = digest, src.source_date, src.image_urls
