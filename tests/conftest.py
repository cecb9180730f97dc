"""Shared fixtures: an app whose instance folder, database and index live under tmp_path.

The database is SQLite unless ``DATABASE_URL`` names a PostgreSQL server (see databases.py).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from portal import create_app
from portal.extensions import db
from tests.databases import make_databases, on_postgresql

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Migrated once per session: SQLite files, or PostgreSQL when DATABASE_URL names it."""
    made = make_databases(tmp_path_factory.mktemp("template"))
    yield made
    made.close()


@pytest.fixture(scope="session")
def migrated_db(databases) -> Path:
    """The migrated SQLite template file (SQLite runs only)."""
    if on_postgresql():
        pytest.skip("needs the SQLite template file")
    return databases.template


@pytest.fixture
def database(tmp_path, databases) -> str:
    """The URI of a clean, migrated database for this test."""
    return databases.clean(tmp_path)


def app_config(tmp_path: Path, database: str, **extra) -> dict:
    """The settings of a test app: instance, index and media under ``tmp_path``, no CSRF; ``extra`` added."""
    return {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database,
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "MEDIA_DIR": str(tmp_path / "media"),
        "WTF_CSRF_ENABLED": False,
        **extra,
    }


@pytest.fixture
def app(tmp_path, database, monkeypatch):
    app = create_app(app_config(tmp_path, database))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone(timedelta(hours=7))).isoformat()


@pytest.fixture
def write_content(tmp_path):
    """Write a content file from front-matter lines and a body; returns its path."""
    folder = tmp_path / "content"

    def write(name: str, front_matter: str, body: str = "Nội dung.") -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front_matter.strip()}\n---\n{body}\n", encoding="utf-8")
        return path

    write.folder = folder
    return write


@pytest.fixture
def mail_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 for this test; read ``.messages``."""
    from tests.mailserver import MailServer

    server = MailServer().start()
    yield server
    server.stop()
