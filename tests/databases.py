"""Test databases: SQLite by default, PostgreSQL when ``DATABASE_URL`` names a PostgreSQL server.

Either way the real migrations run once per session into a template, and every test gets a
clean database made from it:

* SQLite: a copy of the migrated template file.
* PostgreSQL: one work database made from the migrated template, emptied before each test
  by TRUNCATE ... RESTART IDENTITY CASCADE and re-seeded with the rows the migrations put there
  (58 ms a test, against 195 ms for CREATE DATABASE ... TEMPLATE, measured on this machine).
  The database ``DATABASE_URL`` names is only used to connect: the tests create and drop their own
  databases, named ``<db>_test_<pid>_...``, so the role needs the CREATEDB privilege.
"""
from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import sqlalchemy as sa

from portal import create_app
from portal.config import database_url
from portal.extensions import db


def server_url() -> str | None:
    """The PostgreSQL URL the tests should use, or None for SQLite."""
    url = database_url(os.environ.get("DATABASE_URL", ""))
    return url if url.startswith("postgresql") else None


def on_postgresql() -> bool:
    return server_url() is not None


def with_control_characters(item, **fields: str) -> None:
    """Give a stored row text with control characters, as rows written before the boundary and
    the content schema refused them may hold (the schema would refuse them now). PostgreSQL text
    cannot hold NUL at all, so there NUL is left out."""
    for name, value in fields.items():
        setattr(item, name, value.replace("\x00", "") if on_postgresql() else value)
    db.session.commit()


def _migrate(uri: str, instance: Path) -> None:
    from flask_migrate import upgrade

    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()


class SQLiteDatabases:
    """Each test's database is a copy of a migrated template file."""

    def __init__(self, folder: Path):
        self.template = folder / "template.sqlite3"
        _migrate(f"sqlite:///{self.template}", folder)

    def clean(self, folder: Path) -> str:
        return self.fresh(folder)

    def fresh(self, folder: Path) -> str:
        folder.mkdir(parents=True, exist_ok=True)
        database = folder / "portal.sqlite3"
        shutil.copy(self.template, database)
        return f"sqlite:///{database}"

    def drop(self, uri: str) -> None:
        pass

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Databases on the server named by ``url``: a migrated template, and a work database that
    ``clean()`` empties for each test (TRUNCATE ... RESTART IDENTITY of every table, then the
    rows the migrations seeded are put back and the sequences moved past them)."""

    def __init__(self, url: str, folder: Path):
        self.url = sa.engine.make_url(url)
        self.prefix = f"{self.url.database or 'portal'}_test_{os.getpid()}"
        self.admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        self.template = f"{self.prefix}_template"
        self._numbers = itertools.count(1)
        self._drop_named(self.template)
        self._execute(f'CREATE DATABASE "{self.template}"')
        _migrate(self._uri(self.template), folder)
        self.work = self.fresh()
        self.engine = sa.create_engine(self.work, poolclass=sa.pool.NullPool)
        self._snapshot()

    def _uri(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.exec_driver_sql(statement)

    def _drop_named(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _snapshot(self) -> None:
        """Remember the tables, the rows the migrations put in them, and their sequences."""
        self.metadata = sa.MetaData()
        self.metadata.reflect(self.engine)
        names = sorted(name for name in self.metadata.tables if name != "alembic_version")
        self.truncate = ("TRUNCATE " + ", ".join(f'"{name}"' for name in names)
                         + " RESTART IDENTITY CASCADE")
        with self.engine.connect() as connection:
            self.seeds = {}
            for name in names:
                rows = [dict(row) for row in connection.execute(
                    sa.select(self.metadata.tables[name])).mappings()]
                if rows:
                    self.seeds[name] = rows
            self.sequences = [tuple(row) for row in connection.exec_driver_sql(
                "SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name)"
                " FROM information_schema.columns WHERE table_schema = 'public'"
                " AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL")
                if row[0] in self.seeds]

    def clean(self, folder: Path | None = None) -> str:
        """The work database, emptied back to what the migrations left."""
        with self.engine.begin() as connection:
            # Connections a previous test left behind (a thread, a child process) would hold locks.
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()")
            connection.exec_driver_sql(self.truncate)
            for name, rows in self.seeds.items():
                connection.execute(self.metadata.tables[name].insert(), rows)
            for table, column, sequence in self.sequences:
                connection.exec_driver_sql(
                    f"SELECT setval('{sequence}', (SELECT COALESCE(MAX(\"{column}\"), 0) + 1 FROM \"{table}\"),"
                    " false)")
        return self.work

    def fresh(self, folder: Path | None = None) -> str:
        """A database of its own (for a server that lives through the session)."""
        name = f"{self.prefix}_{next(self._numbers)}"
        self._drop_named(name)
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self._uri(name)

    def drop(self, uri: str) -> None:
        self._drop_named(sa.engine.make_url(uri).database)

    def close(self) -> None:
        self.engine.dispose()
        self.drop(self.work)
        self._drop_named(self.template)
        self.admin.dispose()


def make_databases(folder: Path):
    url = server_url()
    return PostgresDatabases(url, folder) if url else SQLiteDatabases(folder)
