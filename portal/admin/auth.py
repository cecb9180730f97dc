"""Logging in and out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..content.services import audit
from ..extensions import db
from .accounts import RateLimited, authenticate
from .blueprint import bp
from .forms import ActionForm, LoginForm


def safe_next(target: str | None) -> str | None:
    """A same-site path to go to after login, or None: no scheme, host, '//' or backslash."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or url_for("admin.dashboard"))
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except RateLimited:
            flash(_("Đăng nhập sai quá nhiều lần. Vì an toàn, hãy thử lại sau 15 phút."), "error")
            return render_template("admin/login.html", form=form, next_url=next_url), 429
        if user is not None:
            session.clear()
            login_user(user)
            return redirect(next_url or url_for("admin.dashboard"))
        flash(_("E-mail hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("admin/login.html", form=form, next_url=next_url), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = ActionForm()
    if form.validate_on_submit():
        audit("logout", current_user._get_current_object())
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("admin.login"))
