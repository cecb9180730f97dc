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
