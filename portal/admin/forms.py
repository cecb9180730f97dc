"""Admin forms (Flask-WTF: CSRF on every one, Vietnamese messages).

An edit form covers every field of the content-file format; `convert` turns it into a
content dict for the workflow services and back. A draft needs only its title: the fields
review and publication need are checked by the workflow services (`workflow.Incomplete`).
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..content import taxonomy
from ..content.schema import SLUG_RE
from .convert import REQUIRED, parse_vnd, split_lines

LOCAL_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def required() -> DataRequired:
    return DataRequired(message=REQUIRED)


def longest(n: int) -> Length:
    return Length(max=n, message=_l("Quá dài: tối đa %(max)d ký tự."))


class VietnameseMessages:
    """WTForms' own messages in Vietnamese (WTForms ships no Vietnamese catalogue)."""

    MESSAGES = {
        "This field is required.": REQUIRED,
        "Not a valid choice.": _l("Giá trị không có trong danh sách."),
        "Invalid Choice: could not coerce.": _l("Giá trị không có trong danh sách."),
        "'%(value)s' is not a valid choice for this field.": _l("Giá trị «%(value)s» không có trong danh sách."),
        "'%(value)s' are not valid choices for this field.": _l("Các giá trị «%(value)s» không có trong danh sách."),
        "Not a valid date value.": _l("Ngày không hợp lệ."),
        "Not a valid datetime value.": _l("Ngày giờ không hợp lệ."),
        "Invalid input.": _l("Giá trị không hợp lệ."),
        "The CSRF token is missing.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang rồi gửi lại."),
        "The CSRF token is invalid.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang rồi gửi lại."),
        "The CSRF token has expired.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang rồi gửi lại."),
        "The CSRF tokens do not match.": _l("Phiên làm việc đã hết hạn; hãy tải lại trang rồi gửi lại."),
    }

    def gettext(self, string: str) -> str:
        return str(self.MESSAGES.get(string, string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


VI_MESSAGES = VietnameseMessages()


def strip_control(value):
    """Drop NUL and other control characters (not tab or newlines) that no column should hold."""
    if isinstance(value, str):
        return CONTROL_RE.sub("", value)
    return value


CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Meta:
    def get_translations(self, form):
        return VI_MESSAGES

    def bind_field(self, form, unbound_field, options):
        if issubclass(unbound_field.field_class, (FieldList, FormField)):
            return unbound_field.bind(form=form, **options)
        filters = list(unbound_field.kwargs.get("filters", ())) + [strip_control]
        return unbound_field.bind(form=form, **{**options, "filters": filters})


class AdminForm(FlaskForm):
    """Every admin form: CSRF-protected, Vietnamese messages, no control characters."""

    class Meta(_Meta):
        pass


class RowForm(Form):
    """A repeatable row inside an admin form."""

    class Meta(_Meta):
        pass


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


# ---------------------------------------------------------------- rows

class ImageRow(RowForm):
    src = HiddenField()
    alt = StringField(_l("Mô tả ảnh (alt)"), [longest(500)])
    remove = BooleanField(_l("Bỏ ảnh này"))


class MeasureRow(RowForm):
    type = SelectField(_l("Biện pháp"), choices=[])
    kind = SelectField(_l("Tính chất"), choices=[])
    by = StringField(_l("Đơn vị thực hiện"), [longest(300)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = options([("", _l("— Chọn biện pháp —"))] + taxonomy.choices("measure_type"))
        self.kind.choices = options(taxonomy.choices("measure_kind"))

    def is_empty(self) -> bool:
        return not self.type.data and not (self.by.data or "").strip()


# ---------------------------------------------------------------- content forms

class ContentForm(AdminForm):
    """Fields every content type has."""

    version = HiddenField()
    title = StringField(_l("Tiêu đề"), [required(), longest(300)])
    slug = StringField(_l("Địa chỉ trang (slug)"), [Optional(), longest(200), Regexp(
        SLUG_RE, message=_l("Chỉ dùng chữ thường không dấu a–z, chữ số và dấu gạch ngang đơn."))],
        description=_l("Để trống để tạo từ tiêu đề. Đổi địa chỉ của bài đã đăng thì địa chỉ cũ tự chuyển hướng."))
    lang = SelectField(_l("Ngôn ngữ"), choices=options([("vi", _l("Tiếng Việt")), ("en", _l("Tiếng Anh"))]))
    translation_of = StringField(_l("Là bản dịch của (slug bài gốc)"), [Optional(), longest(200)],
                                 description=_l("Chỉ điền khi bài này là bản dịch của một bài đã có."))
    summary = TextAreaField(_l("Tóm tắt"), [longest(1000)])
    body = TextAreaField(_l("Nội dung (Markdown)"), [longest(200000)],
                         description=_l("Markdown: ## Tiêu đề mục, **đậm**, *nghiêng*, - danh sách, [liên kết](https://…)."))
    tags = MultiCheckboxField(_l("Chủ đề (thẻ)"), choices=[],
                              description=_l("Chọn các chủ đề của bài; mỗi chủ đề là một liên kết tới danh sách "
                                             "cùng chủ đề. Thẻ “Ngày Quyền của người tiêu dùng 15/3” đưa bài "
                                             "lên trang chiến dịch."))
    published_at = DateTimeLocalField(_l("Thời điểm xuất bản"), [Optional()], format=LOCAL_FORMAT,
                                      description=_l("Giờ Việt Nam. Để trống: xuất bản ngay khi duyệt. "
                                                     "Thời điểm trong tương lai: hẹn giờ."))
    images = FieldList(FormField(ImageRow))
    new_image = FileField(_l("Tải ảnh lên (JPEG, PNG hoặc WebP, tối đa 8 MB)"))
    new_image_alt = StringField(_l("Mô tả ảnh mới (alt)"), [longest(500)],
                                description=_l("Bắt buộc: mô tả nội dung ảnh cho người không xem được ảnh."))
    note = StringField(_l("Ghi chú cho lần lưu này (không công khai)"), [longest(500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tags.choices = options(taxonomy.choices("tag"))

    def validate_translation_of(self, field) -> None:
        if field.data and not SLUG_RE.match(field.data.strip()):
            raise ValidationError(_l("Nhập slug của bài gốc, ví dụ: quyen-cua-nguoi-tieu-dung."))


class ArticleForm(ContentForm):
    kind = SelectField(_l("Loại bài"), choices=options([("guide", _l("Hướng dẫn")), ("news", _l("Tin tức"))]))


class WarningForm(ContentForm):
    category = SelectField(_l("Nhóm sản phẩm"), choices=[], default="")
    hazards = MultiCheckboxField(_l("Loại nguy cơ"), choices=[])
    risk_level = SelectField(_l("Mức độ rủi ro"), choices=[], default="")
    product_name = StringField(_l("Tên sản phẩm"), [longest(300)])
    product_brand = StringField(_l("Nhãn hiệu"), [longest(200)])
    product_model = StringField(_l("Kiểu, mẫu (model)"), [longest(300)])
    product_barcodes = TextAreaField(_l("Mã vạch (GTIN/EAN/UPC)"), description=_l("Mỗi dòng một mã, chỉ gồm chữ số."))
    product_batches = TextAreaField(_l("Số lô"), description=_l("Mỗi dòng một số lô."))
    product_production_dates = StringField(_l("Ngày sản xuất"), [longest(2000)])
    product_origin_country = StringField(_l("Xuất xứ"), [longest(100)])
    manufacturer = StringField(_l("Nhà sản xuất"), [longest(300)])
    importer = StringField(_l("Nhà nhập khẩu"), [longest(300)])
    seller = StringField(_l("Người bán, nhà phân phối"), [longest(300)])
    units = StringField(_l("Số lượng sản phẩm bị ảnh hưởng"), [longest(200)])
    what_to_do = TextAreaField(_l("Người tiêu dùng nên làm gì"), [longest(20000)])
    measures = FieldList(FormField(MeasureRow))
    source_authority = StringField(_l("Cơ quan phát cảnh báo"), [longest(500)])
    source_reference = StringField(_l("Số hiệu cảnh báo gốc"), [longest(500)])
    source_url = StringField(_l("Đường dẫn cảnh báo gốc"), [longest(500), Optional(), Regexp(
        r"^https?://", message=_l("Địa chỉ phải bắt đầu bằng http:// hoặc https://."))])
    source_language = StringField(_l("Ngôn ngữ bản gốc"), [longest(10)], description=_l("Ví dụ: vi, en, ko."))
    change_note = TextAreaField(_l("Ghi chú thay đổi công khai"), [longest(20000)],
                                description=_l("Khi cập nhật cảnh báo đã đăng: nói ngắn gọn điều gì đã thay đổi."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = options([("", _l("— Chọn nhóm —"))] + taxonomy.choices("category"))
        self.hazards.choices = options(taxonomy.choices("hazard"))
        self.risk_level.choices = options([("", _l("— Chọn mức độ —"))] + taxonomy.choices("risk_level"))

    def validate_product_barcodes(self, field) -> None:
        for code in split_lines(field.data):
            if not re.fullmatch(r"[0-9][0-9 ]{5,20}", code):
                raise ValidationError(_l("Mã vạch chỉ gồm chữ số (6–21 ký tự): %(code)s", code=code))

    def validate_measures(self, field) -> None:
        for row in field:
            if not row.form.is_empty() and not row.form.type.data:
                raise ValidationError(_l("Chọn loại biện pháp cho mỗi dòng đã điền."))


class SanctionForm(ContentForm):
    subject_name = StringField(_l("Tên tổ chức, cá nhân bị xử lý"), [longest(300)])
    subject_kind = SelectField(_l("Loại đối tượng"), choices=[])
    subject_tax_code = StringField(_l("Mã số thuế"), [longest(20)])
    subject_address = StringField(_l("Địa chỉ"), [longest(400)])
    subject_ward = StringField(_l("Phường, xã, đặc khu"), [longest(100)])
    violation = TextAreaField(_l("Hành vi vi phạm"), [longest(20000)])
    violation_kind = SelectField(_l("Nhóm hành vi vi phạm"), choices=[])
    legal_basis = TextAreaField(_l("Căn cứ pháp lý"), [longest(20000)])
    decision_number = StringField(_l("Số quyết định"), [longest(100)])
    decision_date = DateField(_l("Ngày quyết định"), [Optional()])
    decision_authority = StringField(_l("Cơ quan ra quyết định"), [longest(300)],
                                     default="Sở Công Thương thành phố Hải Phòng")
    fine_vnd = StringField(_l("Số tiền phạt (đồng)"), description=_l("Ví dụ: 15.000.000"))
    additional_penalties = TextAreaField(_l("Hình thức xử phạt bổ sung"), [longest(20000)])
    remedial_measures = TextAreaField(_l("Biện pháp khắc phục hậu quả"), [longest(20000)])
    online = BooleanField(_l("Vi phạm trong hoạt động kinh doanh trên không gian mạng"),
                          description=_l("Công khai 30 ngày theo Điều 24 Nghị định 55/2024/NĐ-CP."))
    compliance = SelectField(_l("Tình trạng chấp hành"), choices=[])
    published_from = DateTimeLocalField(_l("Bắt đầu công khai"), [Optional()], format=LOCAL_FORMAT,
                                        description=_l("Để trống: từ lúc xuất bản."))
    published_until = DateTimeLocalField(_l("Công khai đến"), [Optional()], format=LOCAL_FORMAT,
                                         description=_l("Để trống: 30 ngày nếu vi phạm trên mạng, nếu không "
                                                        "theo thời hạn mặc định của hệ thống."))
    demo = BooleanField(_l("Dữ liệu minh họa (không phải quyết định thật)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject_kind.choices = options(taxonomy.choices("subject_kind"))
        self.violation_kind.choices = options(taxonomy.choices("violation_kind"))
        self.compliance.choices = options(taxonomy.choices("compliance"))

    def validate_fine_vnd(self, field) -> None:
        if (field.data or "").strip() and parse_vnd(field.data) is None:
            raise ValidationError(_l("Nhập số tiền bằng chữ số, ví dụ 15.000.000."))


FORMS = {"article": ArticleForm, "warning": WarningForm, "sanction": SanctionForm}


# ---------------------------------------------------------------- workflow forms (account forms: account_forms)

class ActionForm(AdminForm):
    """A workflow button: carries the version the page was opened at."""

    version = HiddenField()


class PublishForm(ActionForm):
    at = DateTimeLocalField(_l("Hẹn giờ xuất bản"), [Optional()], format=LOCAL_FORMAT,
                            description=_l("Giờ Việt Nam. Để trống để xuất bản ngay."))
    change_note = TextAreaField(_l("Ghi chú thay đổi công khai"), [longest(20000)])


class ReasonForm(ActionForm):
    reason = TextAreaField(_l("Lý do"), [longest(20000)])


class ReturnForm(ActionForm):
    note = TextAreaField(_l("Cần sửa gì"), [longest(20000)])


class BulkForm(AdminForm):
    """A bulk action on the items ticked in a list (the item ids are read by `bulk.parse_targets`)."""

    action = SelectField(_l("Thao tác với các mục đã chọn"), choices=[])
    reason = TextAreaField(_l("Lý do"), [longest(20000)])
    confirm = HiddenField()
