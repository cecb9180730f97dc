"""Open a backup and check all of it before anything is written.

Checked in order: it is a readable ZIP file with one ``manifest.json``; the manifest is ours
and of a format version this portal reads; its schema revision is this portal's; its tables
and columns are this portal's; the members present are exactly those listed; and every member
has the listed size and SHA-256 (and each table the listed number of rows). A truncated file,
a flipped byte, a missing or extra member, a foreign file or a newer schema is refused with a
message naming what is wrong.
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import archive
from .archive import BackupError, Progress

CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Backup:
    """A backup file whose manifest and every member were checked."""

    path: Path
    zf: zipfile.ZipFile
    manifest: dict[str, Any]

    def table_member(self, table: str) -> str:
        return f"{archive.TABLES_PREFIX}{table}.jsonl"

    def media_members(self) -> list[str]:
        return sorted(name for name in self.manifest["members"] if name.startswith(archive.MEDIA_PREFIX))

    def close(self) -> None:
        self.zf.close()


def open_backup(path: str | Path, progress: Progress | None = None) -> Backup:
    """Open ``path`` and check it completely; raises BackupError saying what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise BackupError(f"{path} is not a portal backup, or it is damaged (truncated?): {exc}") from None
    try:
        manifest = _read_manifest(zf)
        _check_schema(manifest)
        _check_members(zf, manifest, progress or Progress())
    except BaseException:
        zf.close()
        raise
    return Backup(path=path, zf=zf, manifest=manifest)


def _read_manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    names = zf.namelist()
    if len(names) != len(set(names)):
        raise BackupError("the file holds the same member twice: not a backup this portal wrote")
    if archive.MANIFEST not in names:
        raise BackupError(f"the file has no {archive.MANIFEST}: not a portal backup, or damaged")
    if zf.getinfo(archive.MANIFEST).file_size > MAX_MANIFEST_BYTES:
        raise BackupError(f"{archive.MANIFEST} is implausibly large: not a backup this portal wrote")
    try:
        manifest = json.loads(zf.read(archive.MANIFEST).decode("utf-8"))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"{archive.MANIFEST} is damaged: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != archive.FORMAT:
        raise BackupError(f"{archive.MANIFEST} is not the manifest of a portal backup")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError(f"{archive.MANIFEST} has no valid format_version")
    if version > archive.FORMAT_VERSION:
        raise BackupError(f"the backup has format version {version}, written by a newer portal; this "
                          f"portal reads version {archive.FORMAT_VERSION}: upgrade the portal first")
    for key, kind in (("schema_revision", str), ("tables", dict), ("members", dict), ("media_files", int)):
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"{archive.MANIFEST} lacks a valid {key!r}")
    for name, entry in manifest["members"].items():
        if (not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str)
                or not SHA256_RE.match(entry["sha256"]) or not isinstance(entry.get("size"), int)):
            raise BackupError(f"{archive.MANIFEST} has no valid checksum and size for {name!r}")
    expected, present = set(manifest["members"]), set(names) - {archive.MANIFEST}
    if missing := sorted(expected - present):
        raise BackupError(f"member {missing[0]} is missing ({len(missing)} missing in all): the backup is damaged")
    if extra := sorted(present - expected):
        raise BackupError(f"member {extra[0]} is not listed in the manifest: not a backup this portal wrote")
    return manifest


def _check_schema(manifest: dict[str, Any]) -> None:
    head, known = archive.code_revisions()
    revision = manifest["schema_revision"]
    if revision != head:
        if not set(revision.split("+")) <= known:
            raise BackupError(f"the backup has schema revision {revision}, newer than this portal's "
                              f"({head}): restore it with the portal version that wrote it "
                              f"({manifest.get('portal_version', 'unknown')}) or a later one")
        raise BackupError(f"the backup has the older schema revision {revision} and this portal is at "
                          f"{head}: restore it with the portal version that wrote it "
                          f"({manifest.get('portal_version', 'unknown')}), then upgrade the portal")
    ours = {table.name: archive.column_types(table) for table in archive.tables()}
    theirs = manifest["tables"]
    if set(theirs) != set(ours):
        raise BackupError(f"the backup's tables ({', '.join(sorted(theirs))}) are not this portal's "
                          f"({', '.join(sorted(ours))})")
    for name, columns in ours.items():
        entry = theirs[name]
        if (not isinstance(entry, dict) or not isinstance(entry.get("columns"), dict)
                or set(entry["columns"]) != set(columns)):
            raise BackupError(f"the backup's columns of table {name} are not this portal's")
        if not isinstance(entry.get("rows"), int) or entry["rows"] < 0:
            raise BackupError(f"{archive.MANIFEST} has no valid row count for table {name}")
        if f"{archive.TABLES_PREFIX}{name}.jsonl" not in manifest["members"]:
            raise BackupError(f"{archive.MANIFEST} lists no member for table {name}")
    media = [name for name in manifest["members"] if name.startswith(archive.MEDIA_PREFIX)]
    for name in media:
        archive.media_path(name)
    tables = {f"{archive.TABLES_PREFIX}{name}.jsonl" for name in ours}
    if stray := sorted(set(manifest["members"]) - tables - set(media)):
        raise BackupError(f"member {stray[0]} is neither a table nor a media file")
    if len(media) != manifest["media_files"]:
        raise BackupError(f"{archive.MANIFEST} counts {manifest['media_files']} media files but lists {len(media)}")


def _check_members(zf: zipfile.ZipFile, manifest: dict[str, Any], progress: Progress) -> None:
    members = manifest["members"]
    rows = {f"{archive.TABLES_PREFIX}{name}.jsonl": entry["rows"] for name, entry in manifest["tables"].items()}
    progress.start("Checking", sum(entry["size"] for entry in members.values()))
    for name in sorted(members):
        expected = members[name]
        digest, size, lines = hashlib.sha256(), 0, 0
        try:
            with zf.open(name) as member:
                while chunk := member.read(CHUNK):
                    size += len(chunk)
                    if size > expected["size"]:
                        raise BackupError(f"member {name} is larger than the manifest says: the backup is damaged")
                    digest.update(chunk)
                    lines += chunk.count(b"\n")
                    progress.advance(len(chunk))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise BackupError(f"member {name} is damaged: {exc}") from None
        if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
            raise BackupError(f"member {name} does not match its SHA-256 checksum: the backup is damaged")
        if name in rows and lines != rows[name]:
            raise BackupError(f"member {name} holds {lines} rows, the manifest says {rows[name]}")
    progress.finish()
