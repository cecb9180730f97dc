"""The signed-in user's own account: changing the password, setting up the second factor."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..content.services import audit
from ..extensions import db
from . import accounts, sessions, twofactor
from .account_forms import EnrolForm, PasswordChangeForm
from .blueprint import bp
from .forms import ActionForm
from .lookup import commit_account_change


def _me():
    return current_user._get_current_object()


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Change one's own password; every other session of the account ends."""
    form = PasswordChangeForm()
    user = _me()
    if form.validate_on_submit():
        done, _result = commit_account_change(
            form, lambda: accounts.change_own_password(user, form.current.data, form.password.data))
        if done:
            sessions.start(user)  # this session continues in the new epoch
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc."), "success")
            return redirect(url_for("admin.dashboard"))
    return render_template("admin/password.html", form=form, forced=user.must_change_password), \
        422 if form.errors else 200


@bp.route("/account/two-factor", methods=["GET", "POST"])
def two_factor():
    """Set up the authenticator app (QR code and secret), or see the state and renew recovery codes."""
    user = _me()
    if twofactor.enabled(user):
        form = ActionForm()
        if request.method == "POST" and form.validate_on_submit():
            codes = twofactor.replace_recovery_codes(user)
            audit("user.2fa.recovery_codes", user, detail={"user": user.email})
            db.session.commit()
            return render_template("admin/recovery_codes.html", codes=codes)
        return render_template("admin/two_factor.html", form=form, enabled=True,
                               remaining=twofactor.remaining(user))
    secret = session.get("enrol_secret")
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session["enrol_secret"] = twofactor.new_secret()
    form = EnrolForm()
    status = 200
    if form.validate_on_submit():
        codes = twofactor.enrol(user, secret, form.code.data)
        if codes is not None:
            db.session.commit()
            session.pop("enrol_secret", None)
            return render_template("admin/recovery_codes.html", codes=codes, enrolled=True)
        form.code.errors.append(_("Mã không đúng. Hãy kiểm tra giờ trên điện thoại rồi nhập mã mới nhất."))
        status = 422
    uri = twofactor.provisioning_uri(user, secret)
    return render_template("admin/two_factor.html", form=form, enabled=False, secret=secret,
                           qr=twofactor.qr_svg(uri, _("Mã QR để thêm tài khoản vào ứng dụng xác thực")),
                           required=twofactor.required_for(user)), status
