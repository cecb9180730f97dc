"""Feeds and open data: Atom/RSS feeds, CSV/XLSX exports, sitemap.xml, robots.txt, HTTP caching."""
from flask import Flask


def init_app(app: Flask) -> None:
    from . import caching
    from .links import current_feed, export_url, feed_title, feed_url
    from .views import bp
    from . import campaign_feed  # noqa: F401 (registers the campaign feed on bp)

    app.register_blueprint(bp)
    caching.init_app(app)
    app.jinja_env.globals.update(feed_url=feed_url, feed_title=feed_title, current_feed=current_feed,
                                  export_url=export_url)
