"""Two real server processes on one database, each with its own index: an item published
through the admin of one is found by search on the other within 2 seconds."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.content import workflow
from portal.extensions import db
from portal.search.nodes import SearchNode
from tests.admin.helpers import PASSWORD, make_user, totp_code
from tests.factories import warning_data

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Node:
    """One gunicorn process (one worker) with its own instance folder and index."""

    def __init__(self, name: str, database_url: str, tmp_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"{name}.log"
        env = dict(os.environ, PYTHONPATH=str(ROOT), DATABASE_URL=database_url, SECRET_KEY="two-nodes",
                   PORTAL_INSTANCE=str(tmp_path / name), SEARCH_INDEX_DIR=str(tmp_path / name / "index"),
                   PORTAL_BIND=f"127.0.0.1:{self.port}", PORTAL_WORKERS="1", PORTAL_THREADS="4",
                   PORTAL_PIDFILE=str(tmp_path / f"{name}.pid"), PORTAL_ACCESS_LOG=str(tmp_path / f"{name}.access"))
        env.pop("PORTAL_BASE_URL", None)
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")],
                                            env=env, cwd=str(ROOT), stdout=out, stderr=subprocess.STDOUT)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect, *[h for h in self.opener.handlers
                                                           if isinstance(h, urllib.request.HTTPCookieProcessor)])
        try:
            with opener.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def health(self) -> dict | None:
        try:
            status, text = self.get("/healthz")
        except OSError:
            return None
        return json.loads(text) if status == 200 else None

    def wait_ready(self) -> dict:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {self.log.read_text()[-3000:]}")
            health = self.health()
            if health and health["index"]["built"] and health["index"]["lag_rows"] == 0:
                return health
            time.sleep(0.2)
        raise AssertionError(f"server not ready: {self.log.read_text()[-3000:]}")

    def csrf_token(self, path: str) -> str:
        status, page = self.get(path)
        assert status == 200, (path, status)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def two_nodes(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    nodes = [Node("node-a", url, tmp_path), Node("node-b", url, tmp_path)]
    try:
        yield nodes
    finally:
        for node in nodes:
            node.stop()


def test_an_item_published_on_one_node_is_found_on_the_other_within_two_seconds(app, two_nodes):
    publisher = make_user("publisher", "bien-tap@example.vn")
    draft = workflow.create_item(publisher, "warning", {**warning_data(
        slug="may-suoi-dau-ro-ri", title="Máy sưởi dầu Ánh Kim rò rỉ dầu nóng"), "published_at": None})
    db.session.commit()
    item_id, version = draft.id, draft.version
    db.session.remove()

    node_a, node_b = two_nodes
    health_a, health_b = node_a.wait_ready(), node_b.wait_ready()
    assert health_a["index"]["node"] != health_b["index"]["node"]
    query = "/api/v1/search?q=" + urllib.parse.quote("may suoi dau anh kim")
    assert json.loads(node_b.get(query)[1])["total"] == 0  # a draft is not public

    # Publish through node A's admin: login, then the publish step of the workflow.
    token = node_a.csrf_token("/admin/login")
    assert node_a.post("/admin/login", {"email": "bien-tap@example.vn", "password": PASSWORD,
                                        "csrf_token": token}) == 302
    token = node_a.csrf_token("/admin/login/code")  # a publisher answers the second step
    assert node_a.post("/admin/login/code", {"code": totp_code("bien-tap@example.vn"), "csrf_token": token}) == 302
    db.session.remove()
    token = node_a.csrf_token(f"/admin/warnings/{item_id}/preview")
    assert node_a.post(f"/admin/warnings/{item_id}/publish", {"version": str(version), "csrf_token": token}) == 302
    published = time.monotonic()

    found_after = None
    while time.monotonic() - published < 2.0:
        results = json.loads(node_b.get(query)[1])["results"]
        if [hit["slug"] for hit in results] == ["may-suoi-dau-ro-ri"]:
            found_after = time.monotonic() - published
            break
        time.sleep(0.05)
    assert found_after is not None, "not found on node B within 2 s"
    deadline = time.monotonic() + 2.0  # node A follows the same outbox into its own index
    while "may-suoi-dau-ro-ri" not in node_a.get(query)[1] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "may-suoi-dau-ro-ri" in node_a.get(query)[1]

    # Both nodes record where their own index stands, each under its own directory.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        rows = list(db.session.execute(sa.select(SearchNode)).scalars())
        newest = node_b.health()["index"]["newest"]
        if len(rows) == 2 and all(row.last_applied == newest for row in rows):
            break
        db.session.rollback()
        time.sleep(0.3)
    assert len(rows) == 2 and {row.node_id for row in rows} == {health_a["index"]["node"], health_b["index"]["node"]}
    assert len({row.index_dir for row in rows}) == 2
    assert all(row.last_applied == newest for row in rows)
    db.session.remove()
