"""HTTP caching for public pages, feeds, exports, sitemap and API.

Every public GET answer carries validators taken from the content *generation*
(`portal.content.generation`): Last-Modified is the latest public change or time boundary
(an item published, withdrawn or archived, a scheduled item going live, an enforcement
result's window opening or closing — never a draft saved), and the ETag is the generation's
key with the release (code, templates, translations, settings that change output). So a
conditional request is answered 304 *before* the view runs: a revalidation costs a few
indexed lookups, not a page, feed, export or sitemap built and thrown away.

Search answers follow the search index, which trails the database by up to a moment, so they
keep a digest of their body as ETag and are built before being compared.

The max-age is short because a warning must reach readers within a minute; a CDN revalidates
cheaply with the validators. Admin pages and anything tied to a session (a logged-in editor, a
flashed message, a form token) are ``private, no-store``.

Another feature may key its own cache on `generation_key()` (for example rendered pages):
the key changes whenever what the public can see may have changed.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from flask import Flask, Response, current_app, has_request_context, request, session
from werkzeug.http import is_resource_modified

from ..content import generation
from ..content.generation import Generation

PUBLIC_BLUEPRINTS = {"public", "search", "feeds", "api"}
PUBLIC_CACHE = "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"
PRIVATE_CACHE = "private, no-store"
SEARCH_FEEDS = ("feeds.feed", "feeds.feed_en")  # with feed_kind "search"
# Settings that change what a public answer holds, beside the content and the code.
OUTPUT_SETTINGS = ("PORTAL_BASE_URL", "PORTAL_DEMO_CONTENT", "PREFERRED_URL_SCHEME", "SERVER_NAME",
                   "APPLICATION_ROOT", "PORTAL_CAMPAIGN_START", "PORTAL_CAMPAIGN_END")
_code_digest: str | None = None


def current_generation(now: datetime | None = None) -> Generation:
    """The content generation, read once per request (or at ``now`` outside one)."""
    if now is not None or not has_request_context():
        return generation.current(now)
    # In the request's environ, not in g: tests share one app context between requests.
    if "portal.generation" not in request.environ:
        ttl = float(current_app.config.get("PORTAL_GENERATION_TTL", 0) or 0)
        request.environ["portal.generation"] = generation.RECENT.get(ttl)
    return request.environ["portal.generation"]


def content_generation(now: datetime | None = None) -> datetime:
    """The latest moment at or before ``now`` when public content changed or a boundary passed."""
    return current_generation(now).modified


def release() -> str:
    """A digest of the code, templates and translations, and of the settings that shape output.

    The same on every node that runs the same release, so a CDN's validators hold across nodes.
    """
    global _code_digest
    if _code_digest is None:
        digest = hashlib.sha1()
        package = Path(__file__).resolve().parent.parent
        for path in sorted(package.rglob("*")):
            if path.suffix in (".py", ".html", ".txt", ".xml", ".mo") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
        _code_digest = digest.hexdigest()
    settings = repr([current_app.config.get(name) for name in OUTPUT_SETTINGS])
    return hashlib.sha1((_code_digest + settings).encode()).hexdigest()[:16]


def generation_key(now: datetime | None = None) -> str:
    """The key of what the public sees now, in this release: for ETags and rendered-page caches."""
    if now is not None or not has_request_context():
        return f"{current_generation(now).key}-{release()}"
    if "portal.generation_key" not in request.environ:
        request.environ["portal.generation_key"] = f"{current_generation().key}-{release()}"
    return request.environ["portal.generation_key"]


def _is_private() -> bool:
    if request.blueprint == "admin" or request.path.startswith("/admin"):
        return True
    return bool(session.modified or "_user_id" in session or "_flashes" in session)


def _cacheable() -> bool:
    return request.method in ("GET", "HEAD") and request.blueprint in PUBLIC_BLUEPRINTS and not _is_private()


def _keyed_by_generation() -> bool:
    """Whether this public answer is a function of its URL and the generation alone (not of search)."""
    if request.blueprint == "search":
        return False
    return not (request.endpoint in SEARCH_FEEDS and (request.view_args or {}).get("feed_kind") == "search")


def _validators(response: Response) -> None:
    response.headers.setdefault("Cache-Control", PUBLIC_CACHE)
    response.last_modified = current_generation().modified.replace(microsecond=0)
    response.set_etag(generation_key(), weak=True)


def answer_unchanged() -> Response | None:
    """before_request: 304 from the generation alone, before the view builds anything."""
    if "HTTP_IF_NONE_MATCH" not in request.environ and "HTTP_IF_MODIFIED_SINCE" not in request.environ:
        return None  # not a conditional request: nothing to answer early
    if not _cacheable() or not _keyed_by_generation():
        return None
    response = Response(status=304)
    _validators(response)
    etag, _weak = response.get_etag()
    if is_resource_modified(request.environ, etag=etag, last_modified=response.last_modified):
        return None
    return response


def apply_caching(response: Response) -> Response:
    """after_request: validators, Cache-Control and 304 answers for public GET/HEAD requests."""
    if request.method not in ("GET", "HEAD"):
        return response
    if _is_private():
        response.headers["Cache-Control"] = PRIVATE_CACHE
        return response
    if request.blueprint not in PUBLIC_BLUEPRINTS or response.status_code != 200:
        return response
    if response.headers.get("X-Page-Cache") == "stale":
        # The page of the previous generation, sent while it re-renders: no validators, so
        # neither a browser nor a CDN keeps it or later revalidates it as current.
        response.headers["Cache-Control"] = "no-cache"
        return response
    if _keyed_by_generation():
        _validators(response)  # a view's own Cache-Control (robots.txt) stands
        return response  # a request that could be answered 304 was answered before the view
    if response.direct_passthrough or response.is_streamed:
        return response
    response.headers.setdefault("Cache-Control", PUBLIC_CACHE)
    response.last_modified = current_generation().modified.replace(microsecond=0)
    if "ETag" not in response.headers:
        response.add_etag(weak=True)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.before_request(answer_unchanged)
    app.after_request(apply_caching)
