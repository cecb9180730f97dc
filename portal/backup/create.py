"""``create_backup``: write the database and the media files into one ZIP file.

Rows are read in primary-key order from one snapshot of the database (a REPEATABLE READ
transaction on PostgreSQL, one read transaction on SQLite) and streamed into the file in
batches, so a large database is never held in memory. The file is written beside its final
name and renamed into place only when complete: an interrupted run leaves no half backup.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from . import archive
from .archive import BackupError, Progress

BATCH = 1000
CHUNK = 1024 * 1024


@dataclass
class BackupSummary:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    size: int = 0


def _write_member(zf: zipfile.ZipFile, name: str, chunks: Iterable[bytes], compress: bool = True) -> dict:
    info = zipfile.ZipInfo(name, date_time=datetime.now(timezone.utc).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    digest, size = hashlib.sha256(), 0
    with zf.open(info, "w", force_zip64=True) as member:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            member.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _table_rows(connection: sa.Connection, table: sa.Table, progress: Progress) -> Iterable[bytes]:
    statement = sa.select(table).order_by(*archive.order_columns(table)).execution_options(yield_per=BATCH)
    encode, pending = archive.row_encoder(table), []
    for row in connection.execute(statement).mappings():
        pending.append(encode(row))
        if len(pending) == BATCH:
            yield b"".join(pending)
            progress.advance(len(pending))
            pending = []
    if pending:
        yield b"".join(pending)
        progress.advance(len(pending))


def _file_chunks(path: Path) -> Iterable[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def media_files(media_dir: Path) -> list[Path]:
    """Every regular file under MEDIA_DIR, sorted; links are not followed, and names starting
    with a dot are skipped (uploads in progress are written under ``.upload-*``)."""
    if not media_dir.is_dir():
        return []
    found = []
    for folder, folders, files in os.walk(media_dir):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if not name.startswith(".") and path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def _snapshot(connection: sa.Connection) -> None:
    """Make every following read of ``connection`` see one state of the database."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")  # pysqlite opens no transaction for reads by itself


def create_backup(path: str | Path, progress: Progress | None = None) -> BackupSummary:
    """Write a backup of the database and MEDIA_DIR to ``path``; returns what it holds."""
    progress = progress or Progress()
    target = Path(path)
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the name of the backup file to write")
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} does not exist")
    head, _known = archive.code_revisions()
    ordered = archive.tables()
    summary = BackupSummary(path=target)
    members: dict[str, dict] = {}
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    engine = db.engine
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as zf:
            with engine.connect().execution_options(**options) as connection:
                _snapshot(connection)
                revision = archive.database_revision(connection)
                if revision != head:
                    raise BackupError(f"the database is at schema revision {revision or 'none'} and this "
                                      f"portal at {head}: run `flask db upgrade` first")
                for table in ordered:
                    summary.rows[table.name] = connection.execute(
                        sa.select(sa.func.count()).select_from(table)).scalar_one()
                progress.start("Tables", sum(summary.rows.values()))
                for table in ordered:
                    name = f"{archive.TABLES_PREFIX}{table.name}.jsonl"
                    members[name] = _write_member(zf, name, _table_rows(connection, table, progress))
                progress.finish()
                connection.rollback()
            media_dir = Path(current_app.config["MEDIA_DIR"])
            files = media_files(media_dir)
            progress.start("Media", len(files))
            for file in files:
                name = archive.MEDIA_PREFIX + file.relative_to(media_dir).as_posix()
                members[name] = _write_member(zf, name, _file_chunks(file), compress=False)
                progress.advance(1)
            progress.finish()
            summary.media_files = len(files)
            manifest = {
                "format": archive.FORMAT,
                "format_version": archive.FORMAT_VERSION,
                "schema_revision": head,
                "created_at": datetime.now(timezone.utc).isoformat(),
                "portal_version": archive.portal_version(),
                "database": engine.dialect.name,
                "tables": {table.name: {"rows": summary.rows[table.name],
                                        "columns": archive.column_types(table)} for table in ordered},
                "media_files": len(files),
                "members": members,
            }
            text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
            zf.writestr(archive.MANIFEST, text, compress_type=zipfile.ZIP_DEFLATED)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    summary.size = target.stat().st_size
    return summary
