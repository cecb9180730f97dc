"""Configuration read from the environment (see DESIGN.md, "Config")."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _secret_key(instance: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance / "secret_key"
    if not key_file.exists():
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in {"0", "false", "no", "off", ""}


def database_url(url: str) -> str:
    """``url`` in SQLAlchemy's form: PostgreSQL's own ``postgresql://`` / ``postgres://`` URLs
    (as psql, pg_dump and hosting services write them) use the psycopg 3 driver."""
    url = url.strip()
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def engine_options(url: str) -> dict:
    """Pool settings: connections are checked before use (a restarted server is not an error)."""
    options: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options.update(
            pool_size=int(os.environ.get("PORTAL_DB_POOL_SIZE", "5")),
            max_overflow=int(os.environ.get("PORTAL_DB_MAX_OVERFLOW", "10")),
            pool_recycle=1800,  # seconds; below the idle timeouts of common proxies and firewalls
            pool_timeout=10,
            connect_args={"connect_timeout": 10, "application_name": "haiphong-portal"},
        )
    return options


def _count(name: str, default: int) -> int:
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit():
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def _campaign_day(name: str, default: str) -> str:
    from .content.campaign_window import parse_day

    value = (os.environ.get(name) or "").strip() or default
    parse_day(value, name)  # a bad value stops the start with a message naming the setting
    return value


def from_environment(instance: Path) -> dict:
    """Build the config mapping for an app whose instance folder is ``instance``."""
    url = database_url(os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'portal.sqlite3'}")
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": url,
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(instance / "search-index")),
        # Megabytes of term document sets each process may keep for search (memory vs speed).
        "SEARCH_CACHE_MB": int(os.environ.get("SEARCH_CACHE_MB", "64")),
        "MEDIA_DIR": os.environ.get("PORTAL_MEDIA_DIR", str(instance / "media")),
        "PORTAL_DEMO_CONTENT": _flag("PORTAL_DEMO_CONTENT", True),
        "PORTAL_PRODUCTION": _flag("PORTAL_PRODUCTION", False),
        # Offline violations: how long an enforcement result stays public by default (days).
        "SANCTION_DEFAULT_DAYS": int(os.environ.get("PORTAL_SANCTION_DEFAULT_DAYS", "180")),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url),
        # Several nodes (portal/search/nodes.py): this node's name, and how long a node may be
        # away before the outbox rows it has not applied are pruned (it then rebuilds).
        "SEARCH_NODE_ID": os.environ.get("SEARCH_NODE_ID", ""),
        "SEARCH_NODE_RETENTION": float(os.environ.get("SEARCH_NODE_RETENTION", str(7 * 24 * 3600))),
        # Absolute URLs are built from this, never from the request's Host (portal/baseurl.py).
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL", ""),
        # Rendered anonymous public pages kept per worker process (portal/pagecache.py); 0: off.
        "PAGE_CACHE_ENTRIES": int(os.environ.get("PORTAL_PAGE_CACHE_ENTRIES", "512")),
        # Feed entries kept written per worker process (portal/feeds/entries.py); 0: off.
        "FEED_ENTRY_CACHE": int(os.environ.get("PORTAL_FEED_ENTRY_CACHE", "2000")),
        # Seconds a worker reuses the content generation it read (portal/content/generation.py).
        "PORTAL_GENERATION_TTL": float(os.environ.get("PORTAL_GENERATION_TTL", "1")),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        # How many proxies in front of the app set X-Forwarded-For (0: use the connecting address).
        "PORTAL_TRUSTED_PROXIES": _count("PORTAL_TRUSTED_PROXIES", 0),
        # Admin sessions end after this many minutes without a request, and this many hours after login.
        "SESSION_IDLE_MINUTES": _count("PORTAL_SESSION_IDLE_MINUTES", 30),
        "SESSION_LIFETIME_HOURS": _count("PORTAL_SESSION_LIFETIME_HOURS", 12),
        # Outgoing mail (portal/mail): smtp[s]://user:pass@host:port?starttls=1; empty: not sent.
        "PORTAL_SMTP_URL": os.environ.get("PORTAL_SMTP_URL", ""),
        "PORTAL_MAIL_FROM": os.environ.get("PORTAL_MAIL_FROM", ""),
        "PORTAL_MAIL_SEND_AFTER_REQUEST": _flag("PORTAL_MAIL_SEND_AFTER_REQUEST", True),
        # The hour (Vietnam time, 0-23) of the daily alert digest; checked by `flask alerts send`.
        "PORTAL_ALERTS_DIGEST_HOUR": os.environ.get("PORTAL_ALERTS_DIGEST_HOUR", "7"),
        # The home page's campaign banner: from this day to that one, MM-DD (every year) or YYYY-MM-DD.
        "PORTAL_CAMPAIGN_START": _campaign_day("PORTAL_CAMPAIGN_START", "03-01"),
        "PORTAL_CAMPAIGN_END": _campaign_day("PORTAL_CAMPAIGN_END", "03-15"),
    }
