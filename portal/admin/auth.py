"""Logging in (password, then the second factor when the account has one) and out.

After login an account that must change its password, or whose role needs a second factor
it has not set up, reaches only those pages (`require_account_steps`) until it is done.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..content.models import User, utcnow
from ..content.services import audit
from ..extensions import db
from . import accounts, sessions, throttle, twofactor
from .account_forms import LoginForm, SecondFactorForm
from .blueprint import PUBLIC_ENDPOINTS, bp
from .forms import ActionForm

PUBLIC_ENDPOINTS.add("admin.login_code")
# Pages an account may reach before it has changed its password or set up its second factor.
ACCOUNT_STEP_ENDPOINTS = {"admin.logout", "admin.change_password", "admin.two_factor"}


def safe_next(target: str | None) -> str | None:
    """A same-site path to go to after login, or None: no scheme, host, '//' or backslash."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target


def client_address() -> str:
    """The client's address (ProxyFix has applied PORTAL_TRUSTED_PROXIES, if set)."""
    return (request.remote_addr or "")[:64]


def _throttled(error: throttle.Throttled, template: str, **context):
    minutes = max(1, (error.seconds + 59) // 60)
    flash(_("Có quá nhiều lần đăng nhập sai từ địa chỉ của bạn. Vì an toàn, hãy thử lại sau %(n)s phút.",
            n=minutes) if error.seconds >= 60 else
          _("Có quá nhiều lần đăng nhập sai từ địa chỉ của bạn. Vì an toàn, hãy đợi %(n)s giây rồi thử lại.",
            n=error.seconds), "error")
    return render_template(template, **context), 429, {"Retry-After": str(error.seconds)}


def _finish_login(user: User, next_url: str | None, second_factor: str | None = None):
    user.last_login_at = utcnow()
    throttle.record_success(user.email, client_address())
    audit("login", user, detail={"second_factor": second_factor} if second_factor else None)
    db.session.commit()
    sessions.start(user)
    return redirect(next_url or url_for("admin.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or url_for("admin.dashboard"))
    status = 200
    if form.validate_on_submit():
        email, address = accounts.normalise_email(form.email.data)[:254], client_address()
        try:
            throttle.check(email, address)
        except throttle.Throttled as error:
            return _throttled(error, "admin/login.html", form=form, next_url=next_url)
        user = accounts.find_user(email)
        password_ok = accounts.password_matches(user, form.password.data)
        if password_ok and user.active:
            if twofactor.enabled(user):
                sessions.begin_second_factor(user)
                if next_url:
                    session["pending_next"] = next_url
                return redirect(url_for("admin.login_code"))
            return _finish_login(user, next_url)
        reason = "unknown-account" if user is None else ("disabled" if password_ok else "wrong-password")
        throttle.record_failure(email, address, user, reason)
        db.session.commit()
        flash(_("E-mail hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("admin/login.html", form=form, next_url=next_url), status


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """The second step: a code from the authenticator app, or a recovery code."""
    user = sessions.pending_user()
    if user is None:
        session.pop("pending_login", None)
        flash(_("Phiên đăng nhập đã hết hạn. Hãy nhập lại e-mail và mật khẩu."), "info")
        return redirect(url_for("admin.login"))
    form = SecondFactorForm()
    status = 200
    if form.validate_on_submit():
        address = client_address()
        try:
            throttle.check(user.email, address)
        except throttle.Throttled as error:
            return _throttled(error, "admin/login_code.html", form=form)
        method = twofactor.verify(user, form.code.data)
        if method is not None:
            return _finish_login(user, safe_next(session.get("pending_next")), method)
        throttle.record_failure(user.email, address, user, "wrong-code")
        db.session.commit()
        form.code.errors.append(_("Mã không đúng hoặc đã được dùng. Hãy nhập mã mới nhất trong ứng dụng xác thực."))
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("admin/login_code.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = ActionForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        accounts.end_sessions(user)
        audit("logout", user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("admin.login"))


@bp.before_request
def require_account_steps():
    """Send an account to change its password, or to set up its second factor, before anything else."""
    if not current_user.is_authenticated or request.endpoint in PUBLIC_ENDPOINTS | ACCOUNT_STEP_ENDPOINTS:
        return None
    if current_user.must_change_password:
        return redirect(url_for("admin.change_password"))
    if twofactor.required_for(current_user) and not twofactor.enabled(current_user):
        return redirect(url_for("admin.two_factor"))
    return None
