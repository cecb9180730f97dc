"""Bulk actions on the admin lists: one workflow step for many items, item by item.

Each item goes through the same named workflow service as its own button would (the service
checks the role, the version the list was opened at, and writes the revision, audit entry and
search outbox), in its own transaction, so one refusal does not undo the others. The result is
a line per item saying what happened.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..content import permissions as perm
from ..content import workflow
from ..content.models import CONTENT_MODELS, ContentMixin, User
from ..extensions import db
from .convert import workflow_message

MAX_ITEMS = 100
TARGET_RE = re.compile(r"^([0-9]{1,12}):([0-9]{1,9})$")
ACTION_LABELS = {"submit": _l("Gửi duyệt"), "publish": _l("Xuất bản"), "withdraw": _l("Thu hồi"),
                 "archive": _l("Lưu trữ")}
DONE_LABELS = {"submit": _l("Đã gửi duyệt."), "publish": _l("Đã xuất bản."),
               "withdraw": _l("Đã thu hồi."), "archive": _l("Đã lưu trữ.")}


@dataclass
class BulkResult:
    item_id: int
    title: str
    ok: bool
    message: str
    item: ContentMixin | None = None


def allowed_actions(actor: User, kind: str) -> list[str]:
    """The bulk actions ``actor``'s role offers on a list of ``kind`` (the services check again)."""
    sample = CONTENT_MODELS[kind]()
    checks: dict[str, Callable[[], bool]] = {
        "submit": lambda: perm.can_submit(actor, sample),
        "publish": lambda: perm.can_publish(actor, sample),
        "withdraw": lambda: perm.can_withdraw(actor, sample),
        "archive": lambda: perm.can_archive(actor, sample),
    }
    return [action for action, allowed in checks.items() if allowed()]


def parse_targets(values: list[str]) -> list[tuple[int, int]] | None:
    """``["12:3", ...]`` (item id: version the list showed) → pairs; None when any is malformed."""
    targets: list[tuple[int, int]] = []
    for value in values:
        match = TARGET_RE.match(value or "")
        if match is None:
            return None
        pair = (int(match.group(1)), int(match.group(2)))
        if pair[0] not in (t[0] for t in targets):
            targets.append(pair)
    return targets


def load_items(kind: str, targets: list[tuple[int, int]]) -> dict[int, ContentMixin]:
    """The targeted items in one statement."""
    model = CONTENT_MODELS[kind]
    ids = [item_id for item_id, _version in targets]
    return {item.id: item for item in db.session.execute(db.select(model).where(model.id.in_(ids))).scalars()}


def _step(actor: User, action: str, item: ContentMixin, version: int, reason: str) -> None:
    if action == "submit":
        workflow.submit_for_review(actor, item, version)
    elif action == "publish":
        workflow.publish(actor, item, version)
    elif action == "withdraw":
        workflow.withdraw_warning(actor, item, reason, version)
    elif action == "archive":
        workflow.archive(actor, item, version, reason)
    else:
        raise ValueError(action)


def run(actor: User, kind: str, action: str, targets: list[tuple[int, int]], reason: str = "") -> list[BulkResult]:
    """Take ``action`` on each target through its workflow service; one transaction per item."""
    if action not in ACTION_LABELS:
        raise ValueError(action)
    items = load_items(kind, targets)
    results = []
    for item_id, version in targets[:MAX_ITEMS]:
        item = items.get(item_id)
        if item is None:
            results.append(BulkResult(item_id, "", False, _("Không tìm thấy mục này (có thể đã bị xóa).")))
            continue
        title = item.title
        try:
            _step(actor, action, item, version, reason)
            db.session.commit()
        except perm.PermissionDenied:
            db.session.rollback()
            results.append(BulkResult(item_id, title, False, _("Tài khoản của bạn không có quyền thực hiện việc này."),
                                      item))
        except workflow.StaleEdit as exc:
            db.session.rollback()
            results.append(BulkResult(item_id, title, False, _(
                "Mục này vừa được thay đổi (nay là phiên bản %(v)s) sau khi bạn mở danh sách; chưa thực hiện.",
                v=exc.item.version), item))
        except workflow.WorkflowError as exc:
            db.session.rollback()
            results.append(BulkResult(item_id, title, False, workflow_message(exc), item))
        else:
            results.append(BulkResult(item_id, title, True, str(DONE_LABELS[action]), item))
    return results
