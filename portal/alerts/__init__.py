"""E-mail alerts: subscribe to a warnings or enforcement list filter, or a search, by e-mail.

Double opt-in, immediate or daily, one-click unsubscribe (RFC 8058), a manage page reached by
a signed link. `flask alerts send` (cron) queues the alerts into `portal.mail`'s outbox.
"""
from flask import Flask


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import models  # noqa: F401 - the tables belong to the metadata
    from .cli import alerts_cli
    from .views import bp, one_click_unsubscribe

    # RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" to the link without any page,
    # cookie or CSRF token; the unguessable token in the URL is the authority. Only this route.
    csrf.exempt(one_click_unsubscribe)
    app.register_blueprint(bp)
    app.cli.add_command(alerts_cli)
    app.jinja_env.globals.update(alerts_subscribe_url=_subscribe_url)


def _subscribe_url():
    from .views import subscribe_url

    return subscribe_url()
