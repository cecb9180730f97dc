"""Search: Whoosh behind a small interface (see service.py); the index follows the outbox.

Nothing outside this package imports whoosh.
"""
from flask import Flask


def init_app(app: Flask) -> None:
    from .cli import search_cli
    from .service import SearchState, state
    from .views import bp

    app.extensions["portal.search"] = SearchState(app)
    app.register_blueprint(bp)
    app.cli.add_command(search_cli)
    # The outbox follower starts lazily with the first request (never at import, in the CLI
    # or in tests unless asked): only one process per index directory wins its lock.
    follow = app.config.get("SEARCH_FOLLOW", not app.testing)

    if follow:
        @app.before_request
        def start_search_follower() -> None:
            state(app).follower.start()
