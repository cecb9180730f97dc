"""Back a portal up and restore it into an empty database: the same pages, feeds and API answers."""
from __future__ import annotations

import sqlalchemy as sa

from portal.content.models import AuditEntry, OldSlug, Revision, User
from portal.extensions import db
from tests.backup.conftest import assert_same_answers, assert_same_data, counts, restore


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


def test_a_failed_search_rebuild_after_restore_is_reported(sqlite_source, make_portal, monkeypatch):
    from portal.search import service

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(service, "rebuild", broken)
    target = make_portal("target")
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(sqlite_source.backup)])
    assert result.exit_code != 0
    assert "the backup was restored, but rebuilding the search index failed (disk full)" in result.output
    assert counts(target) == counts(sqlite_source.app)


def test_a_non_empty_media_folder_is_refused(sqlite_source, make_portal, migrated):
    from pathlib import Path

    target = make_portal("target", migrated("target"))
    media = Path(target.config["MEDIA_DIR"])
    (media / "ab").mkdir(parents=True)
    (media / "ab" / "w320.jpg").write_bytes(b"kept")
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(sqlite_source.backup)])
    assert result.exit_code != 0
    assert f"the media folder {media} is not empty" in result.output
    assert sorted(p.name for p in media.rglob("*")) == ["ab", "w320.jpg"]
    assert counts(target)["warning"] == 0


def test_create_refuses_what_it_cannot_write(make_portal, tmp_path):
    unmigrated = make_portal("unmigrated")
    result = unmigrated.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "a.zip")])
    assert result.exit_code != 0
    assert "the database is at schema revision none" in result.output and "flask db upgrade" in result.output
    result = unmigrated.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "nowhere" / "a.zip")])
    assert result.exit_code != 0 and "does not exist" in result.output
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_file()) == []
