"""A SQLite backup restores into PostgreSQL and the other way round, with the same answers.

These run when DATABASE_URL names a PostgreSQL server (the PostgreSQL pass of .ci/run); each
portal gets a new empty schema there, dropped afterwards.
"""
from __future__ import annotations

import sqlalchemy as sa

from portal.content.models import User, Warning
from portal.extensions import db
from tests.admin.helpers import make_user
from tests.backup.conftest import (assert_same_answers, assert_same_data, counts, dispose, make_source,
                                   restore)
from tests.factories import create, warning_data


def dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def test_sqlite_backup_restores_into_postgresql(sqlite_source, make_portal, pg_uri, tmp_path):
    target = make_portal("postgresql", pg_uri())  # an empty schema: restore creates the tables
    restore(target, sqlite_source.backup)

    assert dialect(target) == "postgresql"
    assert counts(target) == counts(sqlite_source.app)
    assert_same_answers(sqlite_source, target)
    assert_same_data(sqlite_source, target, tmp_path)
    with target.app_context():  # the id sequences were moved past the restored ids
        largest = db.session.execute(sa.select(sa.func.max(Warning.id))).scalar_one()
        assert create(warning_data()).id == largest + 1
        assert make_user("admin", "quan-tri@example.vn").id > 2
        assert db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 3


def test_postgresql_backup_restores_into_sqlite(make_portal, pg_uri, tmp_path):
    source = make_source(tmp_path / "postgresql-source", pg_uri())
    try:
        target = make_portal("sqlite")
        restore(target, source.backup)

        assert dialect(target) == "sqlite"
        assert counts(target) == counts(source.app)
        assert_same_answers(source, target)
        assert_same_data(source, target, tmp_path)
    finally:
        dispose(source.app)
