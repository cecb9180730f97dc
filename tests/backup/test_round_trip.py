"""Back a portal up and restore it into an empty database: the same pages, feeds and API answers."""
from __future__ import annotations

import json
import zipfile

import sqlalchemy as sa

from portal.backup import archive
from portal.content.models import AuditEntry, OldSlug, Revision, User
from portal.extensions import db
from tests.backup.conftest import answers, populate, public_urls


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


def assert_same_portal(source, target, tmp_path) -> None:
    """Same answers for every public URL, and a backup of the target identical to the source's."""
    urls = public_urls(source)
    assert len(urls) > 150 and any(url.startswith("/media/") for url in urls)
    expected, restored = answers(source, urls), answers(target, urls)
    assert [url for url in urls if restored[url] != expected[url]] == []
    assert expected["/canh-bao/do-choi-sao-luu"][2].endswith("/canh-bao/do-choi-sao-luu-moi")
    backup(source, tmp_path / "again-source.zip")
    backup(target, tmp_path / "again-target.zip")
    assert table_members(tmp_path / "again-target.zip") == table_members(tmp_path / "again-source.zip")


def test_round_trip_on_sqlite(make_portal, tmp_path):
    source = make_portal("source")
    populate(source)
    backup(source, tmp_path / "portal.zip")
    target = make_portal("target")  # a database file that does not exist yet: restore makes the schema
    restore(target, tmp_path / "portal.zip")

    assert counts(target) == counts(source)
    with target.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(Revision)).scalar_one() > 87
        assert db.session.execute(sa.select(OldSlug.slug)).scalars().all() == ["do-choi-sao-luu"]
        users = {user.email: user.password_hash for user in db.session.execute(sa.select(User)).scalars()}
        audit = db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    with source.app_context():
        assert users == {user.email: user.password_hash for user in db.session.execute(sa.select(User)).scalars()}
        assert audit == db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert_same_portal(source, target, tmp_path)


def test_a_non_empty_database_is_refused_unless_replace_is_asked(make_portal, migrated, tmp_path):
    source = make_portal("source")
    populate(source)
    backup(source, tmp_path / "portal.zip")
    target = make_portal("target", migrated("target"))
    with target.app_context():
        db.session.add(User(email="someone@example.vn", password_hash="x", role="editor"))
        db.session.commit()
    before = counts(target)

    result = target.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "portal.zip")])
    assert result.exit_code != 0
    assert "the database is not empty (table user has rows)" in result.output
    assert "nothing was changed" in result.output
    assert counts(target) == before

    restore(target, tmp_path / "portal.zip", "--replace")
    with target.app_context():
        assert db.session.execute(sa.select(User.email).filter_by(email="someone@example.vn")).first() is None
    assert_same_portal(source, target, tmp_path)
