"""DATABASE_URL as PostgreSQL's own tools write it reaches SQLAlchemy with the psycopg 3 driver."""
from __future__ import annotations

import pytest

from portal import create_app
from portal.config import database_url, engine_options


@pytest.mark.parametrize("given, expected", [
    ("postgresql://user:p%40ss@db.example:5433/portal", "postgresql+psycopg://user:p%40ss@db.example:5433/portal"),
    ("postgres://user@localhost/portal", "postgresql+psycopg://user@localhost/portal"),
    ("postgresql+psycopg2://u@h/d", "postgresql+psycopg://u@h/d"),
    ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
    ("  postgresql://u@h/d\n", "postgresql+psycopg://u@h/d"),
    ("sqlite:////tmp/portal.sqlite3", "sqlite:////tmp/portal.sqlite3"),
])
def test_database_url_is_normalised(given, expected):
    assert database_url(given) == expected


def test_postgresql_from_the_environment_gets_psycopg_and_a_checked_pool(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal:secret@127.0.0.1:5432/portal")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://portal:secret@127.0.0.1:5432/portal"
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is True and options["pool_recycle"] > 0
    import psycopg  # the set-up installs the driver

    assert psycopg.__version__.startswith("3.")


def test_a_test_config_url_is_normalised_too(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": "postgres://u@h/d"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/d"


def test_sqlite_keeps_its_simple_pool(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert engine_options(app.config["SQLALCHEMY_DATABASE_URI"]) == {"pool_pre_ping": True}
