"""How the admin shows things: labels for types, stages and actions; Vietnam time."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from flask import Flask, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

from ..content import permissions as perm
from ..content import taxonomy, workflow
from ..content.models import utcnow
from .accounts import ORG_LABELS, ROLE_LABELS
from .convert import format_vnd

VN = timezone(timedelta(hours=7))
TYPE_LABELS = {"warning": _l("Cảnh báo sản phẩm"), "article": _l("Hướng dẫn và tin tức"),
               "sanction": _l("Kết quả xử lý vi phạm")}
TYPE_SINGULAR = {"warning": _l("cảnh báo"), "article": _l("bài viết"), "sanction": _l("kết quả xử lý")}
STAGE_LABELS = {"draft": _l("Bản nháp"), "review": _l("Chờ duyệt"), "scheduled": _l("Hẹn giờ"),
                "published": _l("Đang công khai"), "withdrawn": _l("Đã thu hồi"), "archived": _l("Lưu trữ")}
ACTION_LABELS = {
    "create": _l("Tạo mới"), "save": _l("Lưu nháp"), "submit": _l("Gửi duyệt"), "publish": _l("Xuất bản"),
    "schedule": _l("Hẹn giờ xuất bản"), "withdraw": _l("Thu hồi"), "archive": _l("Lưu trữ"),
    "restore": _l("Khôi phục phiên bản"), "load": _l("Nạp từ tệp"), "load-update": _l("Cập nhật từ tệp"),
    "import": _l("Nhập từ nguồn ngoài"),
}


def vn_time(value: datetime | None, with_time: bool = True) -> str:
    """A time in Vietnam, e.g. '14/03/2026 08:30'."""
    if value is None:
        return ""
    local = value.astimezone(VN)
    return local.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


AUDIT_LABELS = {
    "login": _l("Đăng nhập"), "logout": _l("Đăng xuất"), "login.failed": _l("Đăng nhập thất bại"),
    "login.rate_limited": _l("Chặn đăng nhập do sai nhiều lần"), "user.create": _l("Tạo tài khoản"),
    "user.update": _l("Sửa tài khoản"), "user.disable": _l("Khóa tài khoản"), "user.enable": _l("Mở khóa tài khoản"),
    "user.password": _l("Đặt lại mật khẩu"), "content.load": _l("Nạp nội dung từ tệp"),
    "edit.refused_stale": _l("Từ chối lưu bản cũ (đã giữ nội dung)"),
}


def action_label(action: str) -> str:
    """A readable name for a revision action ('publish') or an audit action ('warning.publish')."""
    if action in AUDIT_LABELS:
        return str(AUDIT_LABELS[action])
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    kind, _dot, verb = action.partition(".")
    if verb in ACTION_LABELS and kind in TYPE_SINGULAR:
        return f"{ACTION_LABELS[verb]} {TYPE_SINGULAR[kind]}"
    return action


PUBLIC_ENDPOINTS = {"warning": ("public.warning", "/canh-bao/"), "article": ("public.guide", "/huong-dan/"),
                    "sanction": ("public.sanction", "/xu-ly-vi-pham/")}


def public_url(item) -> str:
    """The item's public page (the public blueprint's URL, or the contract path)."""
    endpoint, path = PUBLIC_ENDPOINTS[item.item_type]
    try:
        return url_for(endpoint, slug=item.slug)
    except BuildError:
        return path + item.slug


def audit_detail(detail: dict | None) -> str:
    """An audit entry's detail in one line; kept text is summarised by its length."""
    parts = []
    for key, value in (detail or {}).items():
        if isinstance(value, (dict, list)):
            text = json.dumps(value, ensure_ascii=False)
            value = text if len(text) <= 120 else f"{text[:117]}…"
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def admin_helpers():
        if request.blueprint not in ("admin", "complaints_admin"):  # the complaint queue shares the admin layout
            return {}
        return {
            "stage_of": workflow.stage, "pending_of": workflow.pending_stage, "public_url": public_url,
            "now_utc": utcnow, "audit_detail": audit_detail,
            "TYPE_LABELS": TYPE_LABELS, "TYPE_SINGULAR": TYPE_SINGULAR, "STAGE_LABELS": STAGE_LABELS,
            "ROLE_LABELS": ROLE_LABELS, "ORG_LABELS": ORG_LABELS, "taxonomy_label": taxonomy.label,
            "perm": perm, "admin_types": perm.writable_types(current_user) if current_user
            and current_user.is_authenticated else [],
        }

    app.jinja_env.filters["vn_time"] = vn_time
    app.jinja_env.filters["vnd"] = format_vnd
    app.jinja_env.filters["action_label"] = action_label
