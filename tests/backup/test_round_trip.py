"""Back a portal up and restore it into an empty database: the same pages, feeds and API answers."""
from __future__ import annotations

import json
import zipfile

import sqlalchemy as sa

from portal.backup import archive
from portal.content.models import AuditEntry, OldSlug, Revision, User
from portal.extensions import db
from tests.backup.conftest import answers


def table_members(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(archive.MANIFEST))
    return {name: entry["sha256"] for name, entry in manifest["members"].items()}


def backup(app, path) -> None:
    result = app.test_cli_runner().invoke(args=["backup", "create", str(path)])
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output


def restore(app, path, *options) -> None:
    result = app.test_cli_runner().invoke(args=["backup", "restore", *options, str(path)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {table.name: db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in archive.tables()}


def assert_same_data(source, target, tmp_path) -> None:
    """A backup of the restored portal holds exactly the source's rows and media files."""
    backup(target, tmp_path / "again.zip")
    assert table_members(tmp_path / "again.zip") == table_members(source.backup)


def assert_same_answers(source, target) -> None:
    assert len(source.urls) > 100 and any(url.startswith("/media/") for url in source.urls)
    expected, restored = source.answers(), answers(target, source.urls)
    assert [url for url in source.urls if restored[url] != expected[url]] == []
    assert expected["/canh-bao/do-choi-sao-luu"][0] == 301
    assert expected["/tim-kiem?q=do+choi"][3].count(b"do-choi-sao-luu-moi") >= 1


def test_round_trip_on_sqlite(sqlite_source, make_portal, tmp_path):
    target = make_portal("target")  # a database file that does not exist yet: restore makes the schema
    restore(target, sqlite_source.backup)

    source = sqlite_source.app
    assert counts(target) == counts(source)
    with target.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(Revision)).scalar_one() > 87
        assert db.session.execute(sa.select(OldSlug.slug)).scalars().all() == ["do-choi-sao-luu"]
        users = {user.email: user.password_hash for user in db.session.execute(sa.select(User)).scalars()}
        audit = db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    with source.app_context():
        assert users == {user.email: user.password_hash for user in db.session.execute(sa.select(User)).scalars()}
        assert audit == db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert_same_answers(sqlite_source, target)
    assert_same_data(sqlite_source, target, tmp_path)


def test_a_non_empty_database_is_refused_unless_replace_is_asked(sqlite_source, make_portal, migrated, tmp_path):
    target = make_portal("target", migrated("target"))
    with target.app_context():
        db.session.add(User(email="someone@example.vn", password_hash="x", role="editor"))
        db.session.commit()
    before = counts(target)

    result = target.test_cli_runner().invoke(args=["backup", "restore", str(sqlite_source.backup)])
    assert result.exit_code != 0
    assert "the database is not empty (table user has rows)" in result.output
    assert "nothing was changed" in result.output
    assert counts(target) == before

    restore(target, sqlite_source.backup, "--replace")
    with target.app_context():
        assert db.session.execute(sa.select(User.email).filter_by(email="someone@example.vn")).first() is None
    assert_same_data(sqlite_source, target, tmp_path)
