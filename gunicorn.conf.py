"""gunicorn settings for `make serve` (production serving; `make run` stays the dev server).

    make serve                                  # 127.0.0.1:8000, 2 × cores + 1 workers
    PORTAL_BIND=0.0.0.0:8000 PORTAL_WORKERS=9 make serve

Workers: 2 × CPU cores + 1 (gunicorn's rule of thumb: one worker per core computing while
another waits on PostgreSQL or the network), at least 2; ``PORTAL_WORKERS`` overrides it.
Each worker runs ``PORTAL_THREADS`` threads (gthread): a thread waiting on the database or a
slow client does not hold up the worker's other requests.

Graceful reload: ``kill -HUP <master pid>`` (the pid is in ``PORTAL_PIDFILE``, default
instance/gunicorn.pid) starts new workers with the new code and configuration, then stops the
old ones once they have finished their requests; nothing in flight is dropped. ``kill -TERM``
stops gracefully (``graceful_timeout``).

No preload: each worker imports the portal itself. Preloading would load the app once in the
master and share memory, but a HUP would then keep serving the old code (only a full restart
would reload it). The search follower is safe either way: it is a thread started by a
worker's first request, never at import, and one worker per index directory holds its lock
and follows the outbox (the others take over if it dies).
"""
from __future__ import annotations

import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parent
_INSTANCE = Path(os.environ.get("PORTAL_INSTANCE") or _ROOT / "instance")

wsgi_app = "portal:create_app()"
bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("PORTAL_WORKERS") or max(2, 2 * (os.cpu_count() or 1) + 1))
worker_class = "gthread"
threads = int(os.environ.get("PORTAL_THREADS", "4"))
preload_app = False
timeout = 30             # a worker silent this long is restarted
graceful_timeout = 30    # on HUP/TERM, requests in flight get this long to finish
keepalive = 5            # seconds; behind nginx or a load balancer that reuses connections
max_requests = 5000      # recycle workers now and then (bounded memory), spread by the jitter
max_requests_jitter = 500
pidfile = os.environ.get("PORTAL_PIDFILE") or str(_INSTANCE / "gunicorn.pid")
accesslog = os.environ.get("PORTAL_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("PORTAL_LOG_LEVEL", "info")
proc_name = "haiphong-portal"
