"""Forms of the complaint pages (Flask-WTF: CSRF on every one; control characters stripped).

The intake form only carries the fields; the rules live in `intake.file_complaint`, which
every caller goes through.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField

from ..admin.forms import AdminForm, options
from .labels import KIND_LABELS, SECTOR_LABELS, STATUS_LABELS


class IntakeForm(AdminForm):
    kind = RadioField(_l("Bạn muốn gửi"), choices=options(KIND_LABELS.items()), default="report", validate_choice=False)
    sector = SelectField(_l("Lĩnh vực"), choices=options([("", _l("— Chọn lĩnh vực —")), *SECTOR_LABELS.items()]),
                         validate_choice=False)
    business_name = StringField(_l("Tên cơ sở kinh doanh, cửa hàng hoặc trang bán hàng"))
    business_address = StringField(_l("Địa chỉ của cơ sở (hoặc đường dẫn trang bán hàng)"))
    product = StringField(_l("Sản phẩm hoặc dịch vụ"))
    description = TextAreaField(_l("Sự việc đã xảy ra"))
    happened_on = StringField(_l("Ngày xảy ra"))
    happened_where = StringField(_l("Nơi xảy ra"))
    wanted = TextAreaField(_l("Bạn mong muốn được giải quyết thế nào"))
    contact_name = StringField(_l("Họ và tên"))
    contact_email = StringField(_l("E-mail"))
    contact_phone = StringField(_l("Số điện thoại"))
    contact_address = StringField(_l("Địa chỉ liên hệ"))
    files = MultipleFileField(_l("Ảnh hoặc tài liệu PDF (không bắt buộc)"))
    consent = BooleanField(_l("Tôi đồng ý để Sở Công Thương Hải Phòng dùng thông tin trên để xử lý phản ánh, "
                              "như mô tả ở mục “Thông tin cá nhân của bạn”."))
    # Honeypot: hidden from people (CSS and aria-hidden); a program filling every field fills it.
    website = StringField(_l("Để trống ô này"))


class LookupForm(AdminForm):
    code = StringField(_l("Mã theo dõi"))
    contact = StringField(_l("E-mail hoặc số điện thoại đã khai"))


class VersionForm(AdminForm):
    """An admin step on a complaint: carries the version the page was opened at."""

    version = HiddenField()


class StatusForm(VersionForm):
    status = SelectField(_l("Tình trạng mới"), choices=options(STATUS_LABELS.items()), validate_choice=False)
    reason = TextAreaField(_l("Lý do (bắt buộc khi không tiếp nhận; gửi cho người phản ánh)"))


class AssignForm(VersionForm):
    org = StringField(_l("Cơ quan, đơn vị chịu trách nhiệm"))
    officer = SelectField(_l("Cán bộ phụ trách"), choices=[], validate_choice=False)


class NoteForm(VersionForm):
    text = TextAreaField(_l("Ghi chú nội bộ"))


class MessageForm(VersionForm):
    text = TextAreaField(_l("Thư gửi người phản ánh"))


class LinkForm(VersionForm):
    sanction_id = StringField(_l("Số của kết quả xử lý vi phạm (để trống để bỏ liên kết)"))
