"""Alert pages: subscribe, confirm, one-click unsubscribe, manage. Routes only.

Pages reached by a link from a mail carry a secret in their URL: they are never cached,
never indexed, and send no Referer onwards.
"""
from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from ..i18n import lang_endpoint, localized_route, request_lang
from ..params import whole_number
from . import selection, services, tokens
from .models import ACTIVE, DAILY, IMMEDIATE

bp = Blueprint("alerts", __name__)

SUBSCRIBABLE = ("warnings", "sanctions", "search")
DONE = ("frequency", "unsubscribe", "unsubscribe-all")  # what the manage page may report as done


def subscribe_url() -> str | None:
    """The subscribe page for the list or search being rendered, with its filter; None elsewhere."""
    from ..feeds.links import current_feed

    kind, args = current_feed()
    if kind not in SUBSCRIBABLE:
        return None
    args = {name: values for name, values in args.items() if name not in selection.IGNORED}
    return url_for(lang_endpoint("alerts.subscribe", request_lang()), list=kind, **args)


def _private(body: str, status: int = 200):
    """A page answered for one visitor only: not cached, not indexed, no Referer onwards."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _subscribe_page(list_kind: str, params: dict, status: int = 200, **context):
    return _private(render_template(
        "alerts/subscribe.html", list_kind=list_kind, params=params,
        list_name=selection.list_name(list_kind), conditions=selection.describe(list_kind, params, request_lang()),
        days=services.PENDING_DAYS, IMMEDIATE=IMMEDIATE, DAILY=DAILY, **context), status)


@localized_route(bp, {"vi": "/nhan-tin-qua-email", "en": "/en/email-alerts"}, "subscribe", methods=["GET", "POST"])
def subscribe():
    source = request.form if request.method == "POST" else request.args
    list_kind = (source.get("list") or "").strip()
    try:
        params = selection.normalise(list_kind, MultiDict(source))
    except selection.SubscriptionError as error:
        return _private(render_template("alerts/choose_list.html", message=str(error)), 400)
    if request.method == "GET":
        return _subscribe_page(list_kind, params, frequency=IMMEDIATE)
    frequency = request.form.get("frequency")
    try:
        services.subscribe(request.form.get("email"), list_kind, params, frequency, request_lang(),
                           request.remote_addr)
    except services.TooManyRequests as error:
        return _subscribe_page(list_kind, params, 429, errors={"email": str(error)},
                               email=request.form.get("email", ""), frequency=frequency)
    except services.AlertError as error:
        return _subscribe_page(list_kind, params, 400, errors={error.field or "email": str(error)},
                               email=request.form.get("email", ""), frequency=frequency)
    return _private(render_template("alerts/check_mailbox.html", days=services.PENDING_DAYS))


def _link_problem(error: Exception):
    expired = isinstance(error, tokens.TokenExpired)
    return _private(render_template("alerts/link_problem.html", expired=expired), 410 if expired else 404)


@localized_route(bp, {"vi": "/nhan-tin-qua-email/xac-nhan/<token>", "en": "/en/email-alerts/confirm/<token>"},
                 "confirm", methods=["GET", "POST"])
def confirm(token: str):
    """GET asks (a mail scanner opening the link confirms nothing); POST confirms."""
    try:
        if request.method == "POST":
            subscription = services.confirm(token)
            return _private(render_template("alerts/confirmed.html", subscription=subscription, **_what(subscription)))
        subscription = services.pending_for_token(token)
    except (tokens.TokenExpired, tokens.TokenInvalid) as error:
        return _link_problem(error)
    if subscription.status == ACTIVE:
        return _private(render_template("alerts/confirmed.html", subscription=subscription, **_what(subscription)))
    return _private(render_template("alerts/confirm.html", subscription=subscription, **_what(subscription)))


def _what(subscription) -> dict:
    return {"list_name": selection.list_name(subscription.list_kind),
            "conditions": selection.describe(subscription.list_kind, subscription.params, request_lang())}


@localized_route(bp, {"vi": "/nhan-tin-qua-email/huy/<token>", "en": "/en/email-alerts/unsubscribe/<token>"},
                 "unsubscribe", methods=["GET", "POST"])
def one_click_unsubscribe(token: str):
    """The List-Unsubscribe URL. POST unsubscribes without a session or CSRF token (RFC 8058;
    exempted in ``init_app``); GET only shows a button, so link scanners unsubscribe nobody."""
    if request.method == "POST":
        done = services.unsubscribe(token)
        return _private(render_template("alerts/unsubscribed.html", done=done), 200 if done else 404)
    subscription = services.by_unsubscribe_token(token)
    if subscription is None:
        return _private(render_template("alerts/unsubscribed.html", done=False), 404)
    return _private(render_template("alerts/unsubscribe.html", token=token, **_what(subscription)))


@localized_route(bp, {"vi": "/nhan-tin-qua-email/quan-ly", "en": "/en/email-alerts/manage"}, "manage_request",
                 methods=["GET", "POST"])
def manage_request():
    if request.method == "GET":
        return _private(render_template("alerts/manage_request.html"))
    try:
        services.send_manage_link(request.form.get("email"), request_lang(), request.remote_addr)
    except services.TooManyRequests as error:
        return _private(render_template("alerts/manage_request.html", error=str(error),
                                        email=request.form.get("email", "")), 429)
    except services.AlertError as error:
        return _private(render_template("alerts/manage_request.html", error=str(error),
                                        email=request.form.get("email", "")), 400)
    return _private(render_template("alerts/manage_sent.html"))


@localized_route(bp, {"vi": "/nhan-tin-qua-email/quan-ly/<token>", "en": "/en/email-alerts/manage/<token>"},
                 "manage", methods=["GET", "POST"])
def manage(token: str):
    error = None
    if request.method == "POST":
        try:
            done = services.change(token, whole_number(request.form.get("subscription", ""), 1, 2**62),
                                   request.form.get("action", ""), request.form.get("frequency"))
            return redirect(url_for(request.endpoint, token=token, done=done), code=303)
        except (tokens.TokenExpired, tokens.TokenInvalid) as problem:
            return _link_problem(problem)
        except services.AlertError as problem:
            error = str(problem)
    try:
        _hashed, held = services.manage(token)
    except (tokens.TokenExpired, tokens.TokenInvalid) as problem:
        return _link_problem(problem)
    lang = request_lang()
    rows = [{"subscription": s, "list_name": selection.list_name(s.list_kind),
             "conditions": selection.describe(s.list_kind, s.params, lang)} for s in held]
    return _private(render_template("alerts/manage.html", rows=rows, token=token, error=error,
                                    done=request.args.get("done") if request.args.get("done") in DONE else None, IMMEDIATE=IMMEDIATE, DAILY=DAILY,
                                    ACTIVE=ACTIVE), 400 if error else 200)
