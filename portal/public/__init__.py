"""Public pages: server-rendered, Vietnamese at / and English under /en/."""
from flask import Flask
from flask_babel import refresh as refresh_babel


def init_app(app: Flask) -> None:
    from .. import formatting
    from . import check, errors  # noqa: F401 - check adds its routes to the public blueprint
    from .filters import error_summary
    from .meta import image_src, image_srcset
    from .pages import default_alternates, item_url, main_nav, page_numbers, page_url, search_url
    from .views import bp
    from . import statistics  # noqa: F401  (its routes, on the same blueprint)
    from .campaign import campaign_banner, tag_label  # registers the campaign routes on bp

    formatting.init_app(app)
    # flask-babel caches the locale on the app context; a test client (or anything else that
    # serves several requests in one app context) must pick the language again per request.
    app.before_request(refresh_babel)
    app.register_blueprint(bp)
    errors.init_app(app)
    app.jinja_env.globals.update(
        main_nav=main_nav, search_url=search_url, default_alternates=default_alternates, item_url=item_url,
        page_url=page_url, page_numbers=page_numbers, error_summary=error_summary, image_src=image_src, image_srcset=image_srcset,
        tag_label=tag_label, campaign_banner=campaign_banner,
    )
