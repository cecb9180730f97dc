"""The e-mails of the alerts feature, in the subscriber's language, as text and simple HTML.

Every link is absolute, built by ``url_for(..., _external=True)``: from PORTAL_BASE_URL when it
is set (the CLI needs it), never from a host a client chose when the portal runs in production.
Every alert carries ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` (RFC 2369, RFC 8058).
"""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import mail
from ..formatting import format_date, format_money
from ..i18n import lang_endpoint
from ..public.pages import item_url
from . import selection, tokens
from .models import DAILY, AlertSubscription

LIST_ENDPOINTS = {"warnings": "public.warnings", "sanctions": "public.sanctions", "search": "search.results"}


def link(endpoint: str, lang: str, **values) -> str:
    return url_for(lang_endpoint(endpoint, lang), _external=True, **values)


def list_link(subscription: AlertSubscription) -> str:
    return link(LIST_ENDPOINTS[subscription.list_kind], subscription.lang, **subscription.params)


def unsubscribe_link(subscription: AlertSubscription) -> str:
    return link("alerts.unsubscribe", subscription.lang, token=subscription.unsubscribe_token)


def manage_link(address_hash: str, lang: str) -> str:
    return link("alerts.manage", lang, token=tokens.manage_token(address_hash))


def _render(name: str, lang: str, **context) -> tuple[str, str]:
    """The text and HTML bodies. Rendered by the Jinja environment itself: the app's context
    processors serve web pages and expect a request, and `flask alerts send` has none."""
    context.update(lang=lang, format_date=lambda value: format_date(value, lang), format_money=format_money)
    env = current_app.jinja_env
    return (env.get_template(f"alerts/mail/{name}.txt").render(**context),
            env.get_template(f"alerts/mail/{name}.html").render(**context))


def _what(subscription: AlertSubscription) -> dict:
    return {"list_name": selection.list_name(subscription.list_kind),
            "conditions": selection.describe(subscription.list_kind, subscription.params, subscription.lang),
            "list_url": list_link(subscription)}


def queue_confirmation(subscription: AlertSubscription) -> None:
    """Queue the double opt-in message with its signed, expiring confirmation link."""
    lang = subscription.lang
    with force_locale(lang):
        confirm_url = link("alerts.confirm", lang,
                           token=tokens.confirm_token(subscription.id, subscription.confirm_nonce))
        text, html = _render("confirm", lang, confirm_url=confirm_url, days=tokens.CONFIRM_MAX_AGE.days,
                             daily=subscription.frequency == DAILY, **_what(subscription))
        subject = _("Xác nhận đăng ký nhận tin qua e-mail")
    mail.queue(subscription.address, subject, text, html=html)


def queue_manage_link(address: str, address_hash: str, lang: str) -> None:
    with force_locale(lang):
        text, html = _render("manage_link", lang, manage_url=manage_link(address_hash, lang),
                             days=tokens.MANAGE_MAX_AGE.days)
        subject = _("Quản lý đăng ký nhận tin qua e-mail")
    mail.queue(address, subject, text, html=html)


def queue_alert(subscription: AlertSubscription, matches: list[selection.Match], digest: bool) -> None:
    """Queue one message listing ``matches`` (new items, oldest first) for ``subscription``."""
    lang = subscription.lang
    first = matches[0]
    with force_locale(lang):
        what = _what(subscription)
        items = [{"item": m.item, "url": item_url(m.item, lang=m.item.lang, external=True)} for m in matches]
        if digest:
            subject = _("Bản tin hằng ngày: %(num)s tin mới – %(list)s", num=len(matches), list=what["list_name"])
        elif len(matches) == 1:
            subject = _("Tin mới: %(title)s", title=first.item.title)
        else:
            subject = _("%(num)s tin mới – %(list)s", num=len(matches), list=what["list_name"])
        unsubscribe_url = unsubscribe_link(subscription)
        text, html = _render("alert", lang, items=items, digest=digest, unsubscribe_url=unsubscribe_url,
                             manage_url=manage_link(subscription.address_hash, lang), **what)
    mail.queue(subscription.address, subject, text, html=html,
               headers={"List-Unsubscribe": f"<{unsubscribe_url}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
               dedupe_key=f"alert:{subscription.id}:{subscription.unsubscribe_token[:8]}:{first.item.item_type}:{first.root}")
