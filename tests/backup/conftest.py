"""Fixtures for backup tests: portals on their own databases, a populated source, its answers.

``make_portal(name, uri)`` builds an app with its own instance folder, media folder and index
under tmp_path. ``pg_uri()`` gives a URI to a fresh, empty PostgreSQL schema on the server that
``DATABASE_URL`` names (the PostgreSQL pass of ``.ci/run``); without one those tests skip.
"""
from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa
from PIL import Image

from portal import create_app
from portal.backup import archive
from portal.content import images, workflow
from portal.content.loader import load_paths
from portal.content.models import Article, Sanction, Warning
from portal.extensions import db
from tests.admin.helpers import make_user
from tests.conftest import ROOT
from tests.factories import warning_data


def portal_app(folder: Path, uri: str | None = None):
    """An app with its own instance folder, media folder and search index under ``folder``."""
    return create_app({
        "INSTANCE_PATH": str(folder / "instance"),
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": uri or f"sqlite:///{folder / 'portal.sqlite3'}",
        "SEARCH_INDEX_DIR": str(folder / "search-index"),
        "MEDIA_DIR": str(folder / "media"),
        "WTF_CSRF_ENABLED": False,
    })


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_portal(tmp_path):
    """A factory of apps, each with its own folders under tmp_path (and by default a new SQLite file)."""
    apps = []

    def make(name: str, uri: str | None = None):
        apps.append(portal_app(tmp_path / name, uri))
        return apps[-1]

    yield make
    for app in apps:
        dispose(app)


class Source:
    """A populated portal, its backup file, and (computed once) its answers to the public URLs."""

    def __init__(self, app, backup: Path):
        self.app, self.backup = app, backup
        self._answers = None
        self.urls = public_urls(app)

    def answers(self) -> dict[str, tuple]:
        if self._answers is None:
            self._answers = answers(self.app, self.urls)
        return self._answers


def make_source(folder: Path, uri: str | None = None) -> Source:
    app = portal_app(folder, uri)
    populate(app)
    result = app.test_cli_runner().invoke(args=["backup", "create", str(folder / "portal.zip")])
    assert result.exit_code == 0, result.output
    return Source(app, folder / "portal.zip")


@pytest.fixture(scope="package")
def sqlite_source(tmp_path_factory):
    """A SQLite portal with the bundled content, accounts, media and an old slug, backed up once."""
    source = make_source(tmp_path_factory.mktemp("sqlite-source"))
    yield source
    dispose(source.app)


@pytest.fixture(scope="package")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated once with the real migrations (whatever DATABASE_URL says)."""
    from flask_migrate import upgrade

    folder = tmp_path_factory.mktemp("backup-template")
    app = portal_app(folder)
    with app.app_context():
        upgrade()
    dispose(app)
    return folder / "portal.sqlite3"


@pytest.fixture
def migrated(sqlite_template, tmp_path):
    """The URI of a new SQLite database made by the real migrations (and so empty of content)."""
    def copy(name: str) -> str:
        target = tmp_path / f"{name}.sqlite3"
        shutil.copy(sqlite_template, target)
        return f"sqlite:///{target}"

    return copy


def postgres_url() -> sa.URL | None:
    value = os.environ.get("DATABASE_URL", "")
    if not value.startswith("postgres"):
        return None
    url = sa.make_url(value)
    return url.set(drivername="postgresql+psycopg")


@pytest.fixture
def pg_uri():
    """A factory of URIs, each a new empty schema on DATABASE_URL's PostgreSQL server; dropped after."""
    server = postgres_url()
    if server is None:
        pytest.skip("DATABASE_URL names no PostgreSQL server (this test runs in the PostgreSQL pass of .ci/run)")
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    schemas: list[str] = []

    def make() -> str:
        schema = f"backup_test_{secrets.token_hex(6)}"
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        schemas.append(schema)
        url = server.update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    yield make
    with admin.connect() as connection:
        for schema in schemas:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    admin.dispose()


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (700, 400), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def populate(app) -> None:
    """Bundled content, accounts, an uploaded image on a published warning, a renamed slug."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        load_paths([ROOT / "content"])
        publisher = make_user("publisher", "bien-tap@example.vn")
        make_user("editor", "phong-vien@example.vn")
        image = images.store_upload(publisher, io.BytesIO(photo()), "Ảnh đồ chơi bị thu hồi")
        item = workflow.create_item(publisher, "warning", warning_data(
            slug="do-choi-sao-luu", title="Đồ chơi xếp hình có chi tiết nhỏ", images=[image]))
        db.session.commit()
        workflow.publish(publisher, item, item.version)
        db.session.commit()
        data = workflow.working_data(item)
        data["slug"] = "do-choi-sao-luu-moi"
        workflow.save_draft(publisher, item, data, item.version)
        workflow.publish(publisher, item, item.version, change_note="Đổi đường dẫn.")
        db.session.commit()
        from portal.search import service
        service.rebuild()


FIXED_URLS = [
    "/", "/en/", "/canh-bao", "/canh-bao?page=2", "/canh-bao?category=toys", "/huong-dan", "/xu-ly-vi-pham",
    "/en/warnings", "/en/guides", "/en/enforcement", "/gioi-thieu", "/en/about",
    "/tim-kiem?q=do+choi", "/tim-kiem?q=thu+hoi", "/en/search?q=recall",
    "/canh-bao/do-choi-sao-luu",  # the old slug: a redirect to the new one
    "/canh-bao/do-choi-sao-luu-moi",
    "/feeds/warnings.atom", "/feeds/warnings.rss", "/feeds/articles.atom", "/feeds/sanctions.atom",
    "/feeds/all.atom", "/en/feeds/warnings.atom", "/feeds/search.atom?q=do+choi",
    "/api/v1/warnings", "/api/v1/warnings?page=2", "/api/v1/articles", "/api/v1/sanctions",
    "/api/v1/search?q=do+choi", "/api/v1/openapi.json", "/sitemap.xml", "/robots.txt",
    "/canh-bao/export.csv", "/xu-ly-vi-pham/export.csv",
]


def public_urls(app, every: int = 3) -> list[str]:
    """The fixed list, every third page the sitemap names and item of the API, every media file."""
    urls = list(FIXED_URLS)
    loc = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    pages = []
    with app.test_client() as client:  # /sitemap.xml is an index of sitemap files: each file, then its pages
        index = ElementTree.fromstring(client.get("/sitemap.xml").data)
        for file_url in (element.text.removeprefix("http://localhost") for element in index.iter(loc)):
            urls.append(file_url)
            pages.extend(ElementTree.fromstring(client.get(file_url).data).iter(loc))
    urls.extend(element.text.removeprefix("http://localhost") for element in pages[::every])
    with app.app_context():
        for kind, model in (("warnings", Warning), ("articles", Article), ("sanctions", Sanction)):
            ids = db.session.execute(sa.select(model.id).order_by(model.id)).scalars().all()
            urls.extend(f"/api/v1/{kind}/{item_id}" for item_id in ids[::every])
        media = Path(app.config["MEDIA_DIR"])
        urls.extend("/media/" + path.relative_to(media).as_posix() for path in sorted(media.rglob("*.*")))
    return urls


def answers(app, urls: list[str]) -> dict[str, tuple]:
    """Status, type, redirect target and body of each URL, as the portal answers it."""
    seen = {}
    with app.test_client() as client:
        for url in urls:
            response = client.get(url)
            seen[url] = (response.status_code, response.content_type, response.headers.get("Location"),
                         response.get_data())
            response.close()
    return seen


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
    """A backup of the restored portal holds exactly the source's rows and media files — all but the
    content generation, which a restore moves past any value caches may hold."""
    backup(target, tmp_path / "again.zip")
    again, before = table_members(tmp_path / "again.zip"), table_members(source.backup)
    generation = "tables/content_generation.jsonl"
    assert again.pop(generation) != before.pop(generation)
    assert again == before
    with source.app.app_context():
        restored_from = db.session.execute(sa.text("SELECT counter FROM content_generation")).scalar_one()
    with target.app_context():
        assert db.session.execute(sa.text("SELECT counter FROM content_generation")).scalar_one() > restored_from


def assert_same_answers(source, target) -> None:
    assert len(source.urls) > 100 and any(url.startswith("/media/") for url in source.urls)
    expected, restored = source.answers(), answers(target, source.urls)
    assert [url for url in source.urls if restored[url] != expected[url]] == []
    assert expected["/canh-bao/do-choi-sao-luu"][0] == 301
    assert expected["/tim-kiem?q=do+choi"][3].count(b"do-choi-sao-luu-moi") >= 1
