"""The backup format: member names, the manifest, typed values, and the schema revision.

A backup is a ZIP file:

- ``tables/<table>.jsonl``: one JSON object per row, in primary-key order. Datetimes are ISO
  8601 with their offset (the portal's times are UTC, so ``+00:00``), dates ISO 8601,
  JSON columns plain JSON, binary columns base64, decimals strings; nothing depends on the
  database that wrote it, so SQLite and PostgreSQL take each other's backups.
- ``media/<path>``: every file under ``MEDIA_DIR`` (uploads and their renditions).
- ``manifest.json``, written last: format name and version, the Alembic schema revision,
  the time, the portal version, each table's columns and row count, and the SHA-256 and size
  of every other member.
"""
from __future__ import annotations

import base64
import json
from datetime import date, datetime, time
from decimal import Decimal
from importlib import metadata
from pathlib import PurePosixPath
from typing import Any, Callable

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from ..extensions import db

FORMAT = "haiphong-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES_PREFIX = "tables/"
MEDIA_PREFIX = "media/"
# Rate-limiting counters (failed logins, complaint-form use per address): short-lived, not worth keeping.
# Per-node search index positions: belong to each node, not to the content.
# Rows the database derives from content columns by triggers (the hazard and tag filter tables):
# a restore's inserts rebuild them.
EXCLUDED_TABLES = frozenset({"login_failure", "complaint_attempt", "search_nodes", "warning_hazard", "article_tag",
                             "warning_code", "warning_tag"})
# Tables the migrations fill: an "empty" database has these rows, and a restore replaces them.
SEEDED_TABLES = frozenset({"taxonomy_term", "content_generation"})


class BackupError(Exception):
    """A backup that cannot be written or restored; the message is for the operator."""


class Progress:
    """What create and restore report while they work; the CLI draws a progress bar."""

    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass


def tables() -> list[sa.Table]:
    """The tables a backup holds, parents before children."""
    return [table for table in db.metadata.sorted_tables if table.name not in EXCLUDED_TABLES]


def deferred_columns(ordered: list[sa.Table]) -> dict[str, list[str]]:
    """Foreign-key columns pointing at their own table or at one inserted later.

    A restore inserts these as NULL and fills them in once every row exists, so neither
    row order nor a cycle (an item and its latest revision) trips a constraint.
    """
    position = {table.name: index for index, table in enumerate(ordered)}
    deferred: dict[str, list[str]] = {}
    for index, table in enumerate(ordered):
        for key in table.foreign_keys:
            if position.get(key.column.table.name, -1) >= index:
                deferred.setdefault(table.name, []).append(key.parent.name)
    return deferred


def order_columns(table: sa.Table) -> list[sa.Column]:
    return list(table.primary_key.columns) or list(table.columns)


def _encoder(column: sa.Column) -> Callable[[Any], Any] | None:
    """How a column's Python value becomes JSON, or None when it already is JSON."""
    kind = column.type._type_affinity
    if kind is None or issubclass(kind, sa.JSON):
        return None
    if issubclass(kind, sa.DateTime | sa.Date | sa.Time):
        return lambda value: value.isoformat()
    if issubclass(kind, sa.Numeric) and not issubclass(kind, sa.Float):
        return str
    if issubclass(kind, sa.LargeBinary):
        return lambda value: base64.b64encode(bytes(value)).decode("ascii")
    return None


def row_encoder(table: sa.Table) -> Callable[[sa.RowMapping], bytes]:
    """A function writing one of ``table``'s rows as a JSON Lines line."""
    converters = [(column.name, encoder) for column in table.columns if (encoder := _encoder(column))]
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def encode(row: sa.RowMapping) -> bytes:
        data = dict(row)
        for name, convert in converters:
            if data[name] is not None:
                data[name] = convert(data[name])
        return (dumps(data) + "\n").encode("utf-8")

    return encode


def decode_value(column: sa.Column, value: Any) -> Any:
    """A JSON value back to what the column takes, whatever database wrote it."""
    if value is None:
        return None
    kind = column.type._type_affinity
    if kind is None or issubclass(kind, sa.JSON):
        return value
    if issubclass(kind, sa.DateTime):
        return datetime.fromisoformat(value)
    if issubclass(kind, sa.Date):
        return date.fromisoformat(value)
    if issubclass(kind, sa.Time):
        return time.fromisoformat(value)
    if issubclass(kind, sa.Numeric) and not issubclass(kind, sa.Float):
        return Decimal(value)
    if issubclass(kind, sa.LargeBinary):
        return base64.b64decode(value, validate=True)
    return value


def column_types(table: sa.Table) -> dict[str, str]:
    return {column.name: type(column.type).__name__ for column in table.columns}


def database_revision(connection: sa.Connection) -> str | None:
    """The database's Alembic revision (several heads joined by '+'), or None when unmigrated."""
    heads = MigrationContext.configure(connection).get_current_heads()
    return "+".join(sorted(heads)) if heads else None


def code_revisions() -> tuple[str, set[str]]:
    """This portal's schema revision (its migration heads) and every revision it knows."""
    config = current_app.extensions["migrate"].migrate.get_config()
    scripts = ScriptDirectory.from_config(config)
    known = {script.revision for script in scripts.walk_revisions()}
    return "+".join(sorted(scripts.get_heads())), known


def portal_version() -> str:
    try:
        return metadata.version("haiphong-consumer-portal")
    except metadata.PackageNotFoundError:
        return "unknown"


def media_path(name: str) -> PurePosixPath:
    """The relative path of a media member, refusing anything that could leave MEDIA_DIR."""
    relative = name[len(MEDIA_PREFIX):]
    path = PurePosixPath(relative)
    if (not relative or "\\" in relative or "\x00" in relative or path.is_absolute()
            or any(part in ("", ".", "..") for part in relative.split("/"))):
        raise BackupError(f"member {name!r} is not a safe media path")
    return path
