"""A damaged or foreign backup file is refused with a clear message, and nothing changes."""
from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.backup import archive
from portal.extensions import db


def state(app) -> tuple:
    """Every row of every table, and every file beside the database (media, index, staging)."""
    with app.app_context():
        rows = {table.name: [tuple(row) for row in db.session.execute(
                    sa.select(table).order_by(*archive.order_columns(table)))]
                for table in db.metadata.sorted_tables}
    folder = Path(app.config["MEDIA_DIR"]).parent
    files = sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))
    return rows, files


def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_members(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def rewritten(source: Path, target: Path, change, checksums: bool = False) -> Path:
    """A copy of ``source`` whose members (and manifest, as a dict) ``change`` edits in place;
    with ``checksums`` the manifest is made to agree with the edited members."""
    members = read_members(source)
    manifest = json.loads(members.pop(archive.MANIFEST))
    change(members, manifest)
    if checksums:
        manifest["members"] = {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                               for name, data in members.items()}
    members[archive.MANIFEST] = json.dumps(manifest).encode()
    return write_members(target, members)


def flipped(source: Path, target: Path, member: str) -> Path:
    """A copy with one byte flipped in the middle of ``member``'s stored data."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as zf:
        info = zf.getinfo(member)
    header = info.header_offset
    name_length = int.from_bytes(data[header + 26:header + 28], "little")
    extra_length = int.from_bytes(data[header + 28:header + 30], "little")
    position = header + 30 + name_length + extra_length + info.compress_size // 2
    data[position] ^= 0x01
    target.write_bytes(bytes(data))
    return target


def written(target: Path, data: bytes) -> Path:
    target.write_bytes(data)
    return target


def first_media(members: dict) -> str:
    return next(name for name in members if name.startswith("media/"))


def drop(name):
    def change(members, manifest):
        del members[name]
    return change


def set_manifest(**values):
    def change(members, manifest):
        manifest.update(values)
    return change


def duplicate_first_row(table):
    def change(members, manifest):
        name = f"tables/{table}.jsonl"
        first = members[name].split(b"\n", 1)[0] + b"\n"
        members[name] = first + members[name]
        manifest["tables"][table]["rows"] += 1
    return change


def replace_first_row(members, manifest):
    name = "tables/warning.jsonl"
    members[name] = members[name].replace("Đồ chơi".encode(), "Do choi".encode(), 1)


def add_media(name):
    def change(members, manifest):
        members[name] = b"not an image"
        manifest["media_files"] += 1
    return change


def claim_rows(table, rows):
    def change(members, manifest):
        manifest["tables"][table]["rows"] = rows
    return change


def unknown_table(members, manifest):
    manifest["tables"]["complaint"] = {"rows": 0, "columns": {"id": "Integer"}}


CASES = {
    "truncated to half": (lambda src, dst: written(dst, src.read_bytes()[: src.stat().st_size // 2]),
                          "not a portal backup, or it is damaged"),
    "last bytes cut": (lambda src, dst: written(dst, src.read_bytes()[:-7]),
                       "not a portal backup, or it is damaged"),
    "flipped byte in a table": (lambda src, dst: flipped(src, dst, "tables/revision.jsonl"),
                                "member tables/revision.jsonl is damaged"),
    "flipped byte in a media file": (lambda src, dst: flipped(src, dst, first_media(read_members(src))),
                                     "is damaged"),
    "flipped byte in the manifest": (lambda src, dst: flipped(src, dst, archive.MANIFEST),
                                     "manifest.json is damaged"),
    "missing member": (lambda src, dst: rewritten(src, dst, drop("tables/user.jsonl")),
                       "member tables/user.jsonl is missing"),
    "missing manifest": (lambda src, dst: write_members(dst, {
                             name: data for name, data in read_members(src).items() if name != archive.MANIFEST}),
                         "has no manifest.json"),
    "extra member": (lambda src, dst: rewritten(src, dst, add_media("media/extra/w320.jpg")),
                     "member media/extra/w320.jpg is not listed in the manifest"),
    "changed member, old checksum": (lambda src, dst: rewritten(src, dst, replace_first_row),
                                     "member tables/warning.jsonl does not match its SHA-256 checksum"),
    "not a zip file": (lambda src, dst: written(dst, "id,title\n1,Đồ chơi\n".encode()),
                       "not a portal backup"),
    "another program's zip": (lambda src, dst: write_members(dst, {archive.MANIFEST: b'{"format": "other"}'}),
                              "not the manifest of a portal backup"),
    "newer format version": (lambda src, dst: rewritten(src, dst, set_manifest(format_version=2)),
                             "format version 2, written by a newer portal"),
    "newer schema revision": (lambda src, dst: rewritten(src, dst, set_manifest(schema_revision="9999")),
                              "schema revision 9999, newer than this portal's"),
    "another schema's tables": (lambda src, dst: rewritten(src, dst, unknown_table),
                                "tables (alert_sent, alert_subscription, alert_throttle, article, audit_entry, complaint"),
    "row count off": (lambda src, dst: rewritten(src, dst, claim_rows("user", 5)),
                      "member tables/user.jsonl holds 2 rows, the manifest says 5"),
    "media path leaving the folder": (lambda src, dst: rewritten(src, dst, add_media("media/../escaped.jpg"),
                                                                 checksums=True),
                                      "not a safe media path"),
    "rows the database refuses": (lambda src, dst: rewritten(src, dst, duplicate_first_row("warning"),
                                                             checksums=True),
                                  "the database refused the backup's rows, so nothing was restored"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_damaged_backup_is_refused_and_nothing_changes(case, sqlite_source, make_portal, migrated, tmp_path):
    damage, message = CASES[case]
    damaged = damage(sqlite_source.backup, tmp_path / "damaged.zip")
    target = make_portal("target", migrated("target"))
    before = state(target)

    result = target.test_cli_runner().invoke(args=["backup", "restore", str(damaged)])

    assert result.exit_code != 0
    assert message in result.output
    assert "nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert state(target) == before
