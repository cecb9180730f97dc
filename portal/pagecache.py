"""Rendered public pages kept in memory, keyed on (URL, language, content generation).

Anonymous GET/HEAD requests to the public pages, feeds and API answer from a small LRU cache
in each worker process. The key holds the content generation (``feeds.caching``), so any
publish, edit, withdrawal or visibility boundary makes a new key and the next request renders
afresh. Search answers are never kept: they follow this node's index, not the database.

Never kept: requests carrying a session or remember-me cookie, or an Authorization header
(a logged-in editor sees the same URLs); answers that change the session, flash a message or
set a cookie; anything but a 200 with its whole body in memory. A kept answer still passes
through the after-request hooks (validators, 304s, CORS) like a freshly rendered one.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask, Response, current_app, g, request, session

from .i18n import request_lang

try:  # the generation's key, read once per request (with the cheap content generation)
    from .feeds.caching import generation_key
except ImportError:  # the content generation as a moment, before that lands
    from .feeds.caching import content_generation

    def generation_key() -> str:
        return content_generation().isoformat()

CACHED_BLUEPRINTS = {"public", "feeds", "api"}  # not "search": its answers follow the index
MAX_BODY = 2 * 1024 * 1024


RENDER_WAIT = 10.0  # seconds a request waits for another thread rendering the same key


class PageCache:
    """A thread-safe LRU of (status, headers, body) by key; a key ends with the generation.

    Single flight: when several threads of a worker miss the same key at once (a publish just
    moved the generation), one renders. The others answer with the page as it was one
    generation before (``stale``) when the worker has it, else wait for the render. So under a
    stream of publishes a worker renders each page once per change, and no visitor waits for a
    render another request already started. A stale answer is sent without validators and with
    ``no-cache`` (see feeds.caching), so nothing downstream keeps it.
    """

    def __init__(self, entries: int):
        self.entries = entries
        self._items: OrderedDict[tuple, tuple[int, list[tuple[str, str]], bytes]] = OrderedDict()
        self._latest: dict[tuple, tuple] = {}  # the URL part of a key -> its newest kept key
        self._lock = threading.Lock()
        self._rendering: dict[tuple, threading.Event] = {}
        self.hits = self.misses = self.stale = 0

    def lookup(self, key: tuple, wait: float = RENDER_WAIT, allow_stale: bool = True):
        """(item, "hit" | "stale") or (None, "render"): then the caller renders and ``put``s or ``release``s."""
        while True:
            with self._lock:
                item = self._items.get(key)
                if item is not None:
                    self._items.move_to_end(key)
                    self.hits += 1
                    return item, "hit"
                pending = self._rendering.get(key)
                if pending is None:
                    self._rendering[key] = threading.Event()
                    self.misses += 1
                    return None, "render"
                older = self._items.get(self._latest.get(key[:-1])) if allow_stale else None
                if older is not None:
                    self.stale += 1
                    return older, "stale"
            if not pending.wait(wait):
                with self._lock:  # the renderer is stuck or gone: take its claim over
                    if self._rendering.get(key) is pending:
                        self._rendering[key] = threading.Event()
                    self.misses += 1
                pending.set()
                return None, "render"
            with self._lock:
                if key not in self._items:  # it rendered something not kept: render our own
                    self.misses += 1
                    return None, "render"

    def release(self, key: tuple) -> None:
        """The claimed key will not be kept: let the waiting threads go."""
        with self._lock:
            event = self._rendering.pop(key, None)
        if event is not None:
            event.set()

    def put(self, key: tuple, item) -> None:
        with self._lock:
            url = key[:-1]
            older = self._latest.get(url)
            if older is not None and older != key:
                self._items.pop(older, None)  # an older generation of this page is not needed now
            self._latest[url] = key
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                evicted, _ = self._items.popitem(last=False)
                if self._latest.get(evicted[:-1]) == evicted:
                    del self._latest[evicted[:-1]]
            event = self._rendering.pop(key, None)
        if event is not None:
            event.set()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._latest.clear()

    def __len__(self) -> int:
        return len(self._items)


def cache(app: Flask | None = None) -> PageCache:
    return (app or current_app).extensions["portal.pagecache"]


def _anonymous_request() -> bool:
    config = current_app.config
    if request.authorization is not None or request.headers.get("Authorization"):
        return False
    if config["SESSION_COOKIE_NAME"] in request.cookies:
        return False
    return config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies


def _cacheable_request() -> bool:
    if request.method not in ("GET", "HEAD") or request.blueprint not in CACHED_BLUEPRINTS:
        return False
    if request.blueprint == "feeds" and (request.view_args or {}).get("feed_kind") == "search":
        return False
    return _anonymous_request()


def lookup():
    """before_request: answer from the cache, or note the key to keep the rendered answer under."""
    g.pop("_pagecache_key", None)
    if not _cacheable_request():
        return None
    environ = request.environ  # the URL's parts as sent (cheaper than request.url on every hit)
    key = (environ.get("wsgi.url_scheme"), request.host, environ.get("SCRIPT_NAME", ""),
           environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), request_lang(), generation_key())
    item, state = cache().lookup(key)
    if item is not None:
        status, headers, body = item
        response = current_app.response_class(body, status=status, headers=headers)
        response.headers["X-Page-Cache"] = state  # "hit", or "stale" while this page re-renders
        return response
    g._pagecache_key = key
    return None


def _storable(response: Response) -> bool:
    if response.status_code != 200 or response.direct_passthrough or response.is_streamed:
        return False
    if "Set-Cookie" in response.headers or session.modified or session:
        return False
    if "private" in response.headers.get("Cache-Control", "") or "no-store" in response.headers.get("Cache-Control", ""):
        return False
    return response.calculate_content_length() is not None and response.calculate_content_length() <= MAX_BODY


def keep(response: Response) -> Response:
    """after_request (runs before the validators are added): keep a fresh anonymous 200."""
    key = g.pop("_pagecache_key", None)
    if key is None:
        return response
    if _storable(response):
        headers = [(name, value) for name, value in response.headers.items()
                   if name not in ("Content-Length", "Set-Cookie", "X-Page-Cache")]
        cache().put(key, (response.status_code, headers, response.get_data()))
        response.headers["X-Page-Cache"] = "miss"
    else:
        cache().release(key)
    return response


def release_claim(_exc=None) -> None:
    """teardown_request: a view that raised never reaches ``keep``; free its claim."""
    key = g.pop("_pagecache_key", None)
    if key is not None:
        cache().release(key)


def init_app(app: Flask) -> None:
    """Register after the feature packages, so ``keep`` runs before their after-request hooks."""
    entries = int(app.config.get("PAGE_CACHE_ENTRIES", 0) or 0)
    app.extensions["portal.pagecache"] = PageCache(entries)
    if entries <= 0:
        return
    app.before_request(lookup)
    app.after_request(keep)
    app.teardown_request(release_claim)
