"""An app behind one trusted proxy (PORTAL_TRUSTED_PROXIES=1), beside the plain `app` fixture."""
from __future__ import annotations

import pytest

from portal import create_app
from portal.extensions import db


@pytest.fixture
def proxied_app(app):
    """The test app's database and folders, served behind one trusted proxy."""
    proxied = create_app({**{k: app.config[k] for k in (
        "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SEARCH_INDEX_DIR", "MEDIA_DIR", "WTF_CSRF_ENABLED", "TESTING")},
        "INSTANCE_PATH": app.instance_path, "PORTAL_TRUSTED_PROXIES": 1})
    with proxied.app_context():
        yield proxied
        db.session.remove()
        db.engine.dispose()
