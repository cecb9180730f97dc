"""Account forms: logging in, the second factor, one's own password, and managing accounts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import Optional, Regexp, ValidationError

from .accounts import ORG_LABELS, ROLE_LABELS
from .forms import AdminForm, longest, options, required


class LoginForm(AdminForm):
    email = StringField(_l("E-mail"), [required(), longest(254)])
    password = PasswordField(_l("Mật khẩu"), [required(), longest(500)])


class UserCreateForm(AdminForm):
    email = StringField(_l("E-mail"), [required(), longest(254), Regexp(
        r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Địa chỉ e-mail không hợp lệ."))])
    role = SelectField(_l("Vai trò"), choices=options(ROLE_LABELS.items()))
    org = SelectField(_l("Đơn vị"), choices=options(ORG_LABELS.items()))
    password = PasswordField(_l("Mật khẩu ban đầu"), [required(), longest(500)],
                             description=_l("Ít nhất 12 ký tự, không phải mật khẩu phổ biến. Gửi cho người dùng "
                                            "qua kênh an toàn; họ phải đổi mật khẩu khi đăng nhập lần đầu."))


class UserEditForm(AdminForm):
    role = SelectField(_l("Vai trò"), choices=options(ROLE_LABELS.items()))
    org = SelectField(_l("Đơn vị"), choices=options(ORG_LABELS.items()))
    active = BooleanField(_l("Được phép đăng nhập"))
    password = PasswordField(_l("Đặt mật khẩu mới"), [Optional(), longest(500)],
                             description=_l("Để trống nếu không đổi. Người dùng phải đổi lại khi đăng nhập; "
                                            "mọi phiên đăng nhập hiện có của họ kết thúc."))
    reset_second_factor = BooleanField(_l("Xóa xác thực hai bước (người dùng thiết lập lại khi đăng nhập)"))


class SecondFactorForm(AdminForm):
    code = StringField(_l("Mã xác thực"), [required(), longest(64)],
                       description=_l("6 chữ số trong ứng dụng xác thực, hoặc một mã khôi phục."),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True})


class EnrolForm(AdminForm):
    code = StringField(_l("Mã 6 chữ số trong ứng dụng"), [required(), longest(64)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class PasswordChangeForm(AdminForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), [required(), longest(500)],
                            render_kw={"autocomplete": "current-password"})
    password = PasswordField(_l("Mật khẩu mới"), [required(), longest(500)],
                             description=_l("Ít nhất 12 ký tự; một cụm vài từ dễ nhớ với bạn nhưng khó đoán với "
                                            "người khác. Mật khẩu phổ biến bị từ chối."),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"), [required(), longest(500)],
                            render_kw={"autocomplete": "new-password"})

    def validate_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("Hai lần nhập mật khẩu mới không khớp."))
