"""Shared fixtures: an app whose instance folder, database and index live under tmp_path."""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from portal import create_app
from portal.extensions import db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Path:
    """A database file migrated once with the real migrations; each test gets a copy."""
    from flask_migrate import upgrade

    folder = tmp_path_factory.mktemp("template")
    app = create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "test",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'template.sqlite3'}"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return folder / "template.sqlite3"


@pytest.fixture
def app(tmp_path, migrated_db, monkeypatch):
    database = tmp_path / "portal.sqlite3"
    shutil.copy(migrated_db, database)
    app = create_app({
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "MEDIA_DIR": str(tmp_path / "media"),
        "WTF_CSRF_ENABLED": False,
    })
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
