"""Admin pages for accounts and the audit log (the admin role only)."""
from __future__ import annotations

from datetime import date, datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..content import permissions as perm
from ..content.models import CONTENT_MODELS, User
from ..extensions import db
from ..params import url_args, whole_number
from . import accounts, queries
from .account_forms import UserCreateForm, UserEditForm
from .blueprint import bp
from .display import VN
from .lookup import commit_account_change


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
        done, user = commit_account_change(form, lambda: accounts.create_user(
            _actor(), form.email.data, form.role.data, form.org.data, form.password.data))
        if done:
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
        if commit_account_change(form, lambda: _update_user(user, form))[0]:
            flash(_("Đã lưu tài khoản %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user), 422 if form.errors else 200


def _update_user(user: User, form: UserEditForm) -> None:
    accounts.update_user(_actor(), user, form.role.data, form.org.data, bool(form.active.data))
    if form.password.data:
        accounts.set_password(_actor(), user, form.password.data)
    if form.reset_second_factor.data:
        accounts.reset_second_factor(_actor(), user)


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
        item_id=whole_number(item_id, max_digits=9),
        since=datetime.combine(since, time.min, VN) if since else None,
        until=datetime.combine(until, time.max, VN) if until else None,
        page=whole_number(page, 1, 999999) or 1,
    )
    return render_template("admin/audit.html", listing=listing, args=args,
                           link_args=url_args(args, without=("page",)), types=list(CONTENT_MODELS))
