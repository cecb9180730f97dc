"""``restore_backup``: check a backup completely, then restore it all or nothing.

Order of work, so a refusal changes nothing:

1. the whole file is checked (``verify.open_backup``: manifest, schema revision, every checksum);
2. the database must be at the backup's schema revision (a database without any table gets
   the schema first, as ``flask db upgrade`` would make it) and empty — no rows beyond those the
   migrations write — and ``MEDIA_DIR`` empty, unless ``replace`` is asked for;
3. media files are written into a new folder beside ``MEDIA_DIR``;
4. rows are inserted in one transaction (foreign keys to the same or a later table are filled
   in afterwards; PostgreSQL sequences are moved past the restored ids); any refusal by the
   database rolls all of it back and removes the new media folder;
5. after the commit the media folder is renamed into place, and the search index is rebuilt.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..content.generation import ROW_ID, ContentGeneration
from ..content.models import utcnow
from ..extensions import db
from . import archive, verify
from .archive import BackupError, Progress

BATCH = 1000


class SearchRebuildFailed(Exception):
    """Everything was restored, but this node's search index could not be rebuilt."""


@dataclass
class RestoreSummary:
    rows: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    indexed: int | None = None
    restore_seconds: float = 0.0
    index_seconds: float = 0.0


def restore_backup(path: str | Path, replace: bool = False, progress: Progress | None = None,
                   rebuild_search: bool = True) -> RestoreSummary:
    """Restore the backup at ``path`` into this portal's database and MEDIA_DIR."""
    progress = progress or Progress()
    started = time.monotonic()
    backup = verify.open_backup(path, progress)
    summary = RestoreSummary()
    try:
        _prepare_schema(backup.manifest["schema_revision"])
        media_dir = Path(current_app.config["MEDIA_DIR"])
        if not replace:
            _refuse_if_occupied(media_dir)
        staged = _stage_media(backup, media_dir, progress)
        try:
            before = _generation_counter()
            with db.engine.begin() as connection:
                summary.rows = _write_tables(connection, backup, replace, progress)
                _move_generation_past(connection, before)
        except sa.exc.SQLAlchemyError as exc:
            shutil.rmtree(staged, ignore_errors=True)
            reason = getattr(exc, "orig", None) or exc
            raise BackupError(f"the database refused the backup's rows, so nothing was restored: {reason}") from None
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        _swap_media(staged, media_dir)
        summary.media_files = len(backup.media_members())
    finally:
        backup.close()
        db.session.remove()
    summary.restore_seconds = time.monotonic() - started
    if rebuild_search:
        from ..search import service

        started = time.monotonic()
        progress.start("Indexing", sum(summary.rows.get(name, 0) for name in ("article", "warning", "sanction")))
        try:
            summary.indexed = service.rebuild(progress=progress.advance)
        except Exception as exc:  # noqa: BLE001 - the data is restored; say what is left to do
            raise SearchRebuildFailed(f"the backup was restored, but rebuilding the search index failed "
                                      f"({exc}): run `flask search rebuild`") from exc
        finally:
            progress.finish()
        summary.index_seconds = time.monotonic() - started
    return summary


def _prepare_schema(revision: str) -> None:
    """Refuse a database at another revision; give a database with no tables the schema."""
    with db.engine.connect() as connection:
        current = archive.database_revision(connection)
        present = set(sa.inspect(connection).get_table_names())
    if current is None:
        if present & {table.name for table in archive.tables()}:
            raise BackupError("the database has the portal's tables but no schema revision; "
                              "restore into an empty database")
        from flask_migrate import upgrade

        upgrade(revision="heads")  # the backup's revision: verify checked it is this portal's
        return
    if current != revision:
        raise BackupError(f"the database is at schema revision {current} and the backup at {revision}: "
                          "restore into an empty database, or run `flask db upgrade` first")


def _generation_counter() -> int:
    with db.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.max(ContentGeneration.counter))).scalar() or 0


def _move_generation_past(connection: sa.Connection, before: int) -> None:
    """The restored portal's content generation is new to every cache, whatever it was before or
    in the backup, so no node serves a page rendered from the content the restore replaced."""
    table = ContentGeneration.__table__
    restored = connection.execute(sa.select(sa.func.max(table.c.counter))).scalar() or 0
    values = {"counter": max(before, restored) + 1, "changed_at": utcnow()}
    if not connection.execute(table.update().where(table.c.id == ROW_ID).values(values)).rowcount:
        connection.execute(table.insert().values(id=ROW_ID, **values))


def _refuse_if_occupied(media_dir: Path) -> None:
    with db.engine.connect() as connection:
        for table in archive.tables():
            if table.name in archive.SEEDED_TABLES:
                continue
            if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
                raise BackupError(f"the database is not empty (table {table.name} has rows): restore into "
                                  "an empty database, or pass --replace to replace everything in it")
    if media_dir.is_dir() and any(media_dir.iterdir()):
        raise BackupError(f"the media folder {media_dir} is not empty: restore into an empty one, "
                          "or pass --replace to replace everything in it")


def _stage_media(backup: verify.Backup, media_dir: Path, progress: Progress) -> Path:
    """Write the backup's media files into a new folder beside MEDIA_DIR, checking each again."""
    media_dir.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{media_dir.name}-restore-", dir=media_dir.parent))
    members = backup.media_members()
    progress.start("Media", len(members))
    try:
        staged.chmod(0o755)
        for name in members:
            destination = staged.joinpath(*archive.media_path(name).parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with backup.zf.open(name) as source, destination.open("wb") as target:
                while chunk := source.read(verify.CHUNK):
                    digest.update(chunk)
                    target.write(chunk)
            if digest.hexdigest() != backup.manifest["members"][name]["sha256"]:
                raise BackupError(f"member {name} changed while it was being restored")
            progress.advance(1)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    progress.finish()
    return staged


def _swap_media(staged: Path, media_dir: Path) -> None:
    if media_dir.exists():
        old = media_dir.with_name(f".{media_dir.name}-old-{secrets.token_hex(4)}")
        os.rename(media_dir, old)
        os.rename(staged, media_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staged, media_dir)


def _clear(connection: sa.Connection, ordered: list[sa.Table], deferred: dict[str, list[str]],
           replace: bool) -> None:
    """Empty the tables a restore fills: all of them with ``replace``, else the seeded ones."""
    cleared = ordered if replace else [table for table in ordered if table.name in archive.SEEDED_TABLES]
    for table in cleared:
        if deferred.get(table.name):
            connection.execute(table.update().values({name: None for name in deferred[table.name]}))
    for table in reversed(cleared):
        connection.execute(table.delete())


def _rows(backup: verify.Backup, table: sa.Table):
    columns = {column.name: column for column in table.columns}
    with backup.zf.open(backup.table_member(table.name)) as raw:
        for number, line in enumerate(io.TextIOWrapper(raw, encoding="utf-8"), start=1):
            try:
                data = json.loads(line)
                if not isinstance(data, dict) or set(data) != set(columns):
                    raise ValueError("not an object with the table's columns")
                yield {name: archive.decode_value(columns[name], value) for name, value in data.items()}
            except (ValueError, TypeError) as exc:
                raise BackupError(f"row {number} of table {table.name} is not valid: {exc}") from None


def _write_tables(connection: sa.Connection, backup: verify.Backup, replace: bool,
                  progress: Progress) -> dict[str, int]:
    ordered = archive.tables()
    deferred = archive.deferred_columns(ordered)
    _clear(connection, ordered, deferred, replace)
    progress.start("Restoring", sum(backup.manifest["tables"][table.name]["rows"] for table in ordered))
    counts: dict[str, int] = {}
    later: dict[str, list[dict[str, Any]]] = {}
    for table in ordered:
        postponed = deferred.get(table.name, [])
        key = _single_key(table) if postponed else None
        batch: list[dict[str, Any]] = []
        counts[table.name] = 0
        for row in _rows(backup, table):
            if postponed and any(row[name] is not None for name in postponed):
                later.setdefault(table.name, []).append(
                    {"b_key": row[key], **{f"b_{name}": row[name] for name in postponed}})
                row.update({name: None for name in postponed})
            batch.append(row)
            if len(batch) == BATCH:
                connection.execute(table.insert(), batch)
                counts[table.name] += len(batch)
                progress.advance(len(batch))
                batch = []
        if batch:
            connection.execute(table.insert(), batch)
            counts[table.name] += len(batch)
            progress.advance(len(batch))
    for table in ordered:
        if updates := later.get(table.name):
            key = table.c[_single_key(table)]
            statement = (table.update().where(key == sa.bindparam("b_key"))
                         .values({name: sa.bindparam(f"b_{name}") for name in deferred[table.name]}))
            for start in range(0, len(updates), BATCH):
                connection.execute(statement, updates[start:start + BATCH])
    _reset_sequences(connection, ordered)
    progress.finish()
    return counts


def _single_key(table: sa.Table) -> str:
    keys = list(table.primary_key.columns)
    if len(keys) != 1:
        raise BackupError(f"table {table.name} needs a single-column primary key to be restored")
    return keys[0].name


def _reset_sequences(connection: sa.Connection, ordered: list[sa.Table]) -> None:
    """Move PostgreSQL's id sequences past the restored ids, so new rows get fresh ones."""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer
    for table in ordered:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not issubclass(keys[0].type._type_affinity, sa.Integer):
            continue
        column, name = quote.quote(keys[0].name), quote.format_table(table)
        connection.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence(:table, :column), COALESCE(MAX({column}), 1), "
            f"MAX({column}) IS NOT NULL) FROM {name}"), {"table": name, "column": keys[0].name})
