"""Admin pages for accounts and the audit log (the admin role only)."""
from __future__ import annotations

from datetime import date, datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..content import permissions as perm
from ..content.models import CONTENT_MODELS, User
from ..extensions import db
from . import accounts, queries
from .blueprint import bp
from .convert import attach_error
from .display import VN
from .forms import UserCreateForm, UserEditForm


def _actor():
    return current_user._get_current_object()


@bp.route("/users/")
def users():
    perm.require(perm.can_manage_users(_actor()), "list-users")
    rows = db.session.execute(db.select(User).order_by(User.active.desc(), User.email)).scalars()
    return render_template("admin/users.html", users=list(rows))


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    perm.require(perm.can_manage_users(_actor()), "create-user")
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(_actor(), form.email.data, form.role.data, form.org.data, form.password.data)
            db.session.commit()
        except accounts.AccountError as exc:
            db.session.rollback()
            if not attach_error(form, exc.field, exc.message):
                flash(exc.message, "error")
        else:
            flash(_("Đã tạo tài khoản %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    perm.require(perm.can_manage_users(_actor()), "update-user")
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        try:
            accounts.update_user(_actor(), user, form.role.data, form.org.data, bool(form.active.data))
            if form.password.data:
                accounts.set_password(_actor(), user, form.password.data)
            db.session.commit()
        except accounts.AccountError as exc:
            db.session.rollback()
            if not attach_error(form, exc.field, exc.message):
                flash(exc.message, "error")
        else:
            flash(_("Đã lưu tài khoản %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user), 422 if form.errors else 200


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return None


@bp.route("/audit")
def audit_log():
    perm.require(perm.can_read_audit(_actor()), "read-audit")
    args = request.args
    since, until = _date_arg("since"), _date_arg("until")
    item_id = args.get("item_id", "")
    page = args.get("page", "")
    listing = queries.audit_entries(
        action=args.get("action", "")[:50].strip(), actor=args.get("actor", "")[:200].strip(),
        item_type=args.get("item_type", ""),
        item_id=int(item_id) if item_id.isdecimal() and len(item_id) < 10 else None,
        since=datetime.combine(since, time.min, VN) if since else None,
        until=datetime.combine(until, time.max, VN) if until else None,
        page=int(page) if page.isdecimal() and len(page) < 7 else 1,
    )
    return render_template("admin/audit.html", listing=listing, args=args, types=list(CONTENT_MODELS))
