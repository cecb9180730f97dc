"""E-mails to the person who filed a complaint, queued through `portal.mail` in the caller's
transaction, in the language the complaint was filed in. They carry the code, the status and
the link to the status page — never the person's own words or contact details."""
from __future__ import annotations

from flask import has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import mail
from ..i18n import lang_endpoint
from .codes import display
from .labels import STATUS_LABELS
from .models import Complaint


def _status_url(complaint: Complaint) -> str:
    if not has_request_context():
        return ""
    return url_for(lang_endpoint("complaints.status", complaint.lang), _external=True)


def _footer() -> str:
    return _("Đây là thư tự động của Cổng thông tin bảo vệ quyền lợi người tiêu dùng Hải Phòng. "
             "Tổng đài tư vấn người tiêu dùng quốc gia (miễn phí): 1800 6838.")


def _send(complaint: Complaint, subject: str, lines: list[str], key: str | None = None) -> None:
    if not complaint.contact_email:
        return
    url = _status_url(complaint)
    if url:
        lines += ["", _("Theo dõi tình trạng tại: %(url)s (nhập mã cùng địa chỉ e-mail này).", url=url)]
    lines += ["", _footer()]
    mail.queue(complaint.contact_email, subject, "\n".join(lines), dedupe_key=key)


def acknowledge(complaint: Complaint) -> None:
    """Tell the person their complaint was received, with its tracking code."""
    with force_locale(complaint.lang):
        code = display(complaint.code)
        _send(complaint, _("Đã tiếp nhận phản ánh %(code)s", code=code), [
            _("Chúng tôi đã tiếp nhận phản ánh của bạn."),
            "",
            _("Mã theo dõi: %(code)s", code=code),
            _("Hãy giữ mã này. Khi gọi điện hoặc tra cứu, bạn cần mã cùng e-mail hoặc số điện thoại đã khai."),
        ], key=f"complaint:{complaint.id}:ack")


def status_changed(complaint: Complaint) -> None:
    """Tell the person the new status (and the reason, when not accepted)."""
    with force_locale(complaint.lang):
        code = display(complaint.code)
        lines = [_("Phản ánh %(code)s có tình trạng mới: %(status)s.", code=code,
                   status=str(STATUS_LABELS[complaint.status]))]
        if complaint.status == "rejected" and complaint.rejection_reason:
            lines += ["", _("Lý do: %(reason)s", reason=complaint.rejection_reason)]
        _send(complaint, _("Phản ánh %(code)s: %(status)s", code=code,
                           status=str(STATUS_LABELS[complaint.status])), lines)


def message(complaint: Complaint, text: str) -> None:
    """A message from the complaint handler to the person."""
    with force_locale(complaint.lang):
        code = display(complaint.code)
        _send(complaint, _("Thông tin về phản ánh %(code)s", code=code), [
            _("Cán bộ xử lý phản ánh %(code)s gửi bạn thông tin sau:", code=code), "", text])
