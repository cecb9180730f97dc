"""Who may do what. Each workflow service calls the matching check first.

Roles (one per user): ``editor`` writes drafts of guides and warnings and submits them;
``publisher`` reviews, publishes, schedules, withdraws and archives guides and warnings;
``enforcement`` (staff of Sở Công Thương) is the only role that writes and publishes
enforcement results; ``admin`` manages accounts and reads the audit log; ``complaints`` (complaint handlers) works
the complaints queue (its checks are in ``portal/complaints/permissions.py``) and nothing else.
"""
from __future__ import annotations

from .models import ContentMixin, User

ROLES = ("editor", "publisher", "enforcement", "admin", "complaints")
ORGS = ("newsroom", "so-cong-thuong")
EDITORIAL_TYPES = ("article", "warning")


class PermissionDenied(Exception):
    """The actor may not do this; views answer 403."""

    def __init__(self, action: str, item_type: str | None = None):
        self.action, self.item_type = action, item_type
        super().__init__(f"not allowed: {action} {item_type or ''}".strip())


def _role(actor: User | None) -> str | None:
    if actor is None or not actor.active:
        return None
    return actor.role


def can_write(actor: User | None, item_type: str) -> bool:
    """Create items of ``item_type`` and save drafts of them."""
    role = _role(actor)
    if item_type == "sanction":
        return role == "enforcement"
    return role in ("editor", "publisher")


def can_read_admin(actor: User | None, item_type: str) -> bool:
    """See the admin list, history and previews of ``item_type``."""
    return can_write(actor, item_type)


def can_submit(actor: User | None, item: ContentMixin) -> bool:
    return can_write(actor, item.item_type)


def can_publish(actor: User | None, item: ContentMixin | str) -> bool:
    """Publish, schedule, or publish an update of ``item``."""
    item_type = item if isinstance(item, str) else item.item_type
    role = _role(actor)
    if item_type == "sanction":
        return role == "enforcement"
    return role == "publisher"


def can_withdraw(actor: User | None, item: ContentMixin) -> bool:
    """Withdraw a warning (it stays readable with its banner and reason)."""
    return item.item_type == "warning" and _role(actor) == "publisher"


def can_archive(actor: User | None, item: ContentMixin) -> bool:
    return can_publish(actor, item)


def can_restore_revision(actor: User | None, item: ContentMixin) -> bool:
    """Restoring writes a new draft, so whoever may write drafts may restore."""
    return can_write(actor, item.item_type)


def can_manage_users(actor: User | None) -> bool:
    return _role(actor) == "admin"


def can_read_audit(actor: User | None) -> bool:
    return _role(actor) == "admin"


def can_upload_image(actor: User | None) -> bool:
    return _role(actor) in ("editor", "publisher", "enforcement")


def writable_types(actor: User | None) -> list[str]:
    """Content types ``actor`` works on, in menu order."""
    return [t for t in ("warning", "article", "sanction") if can_write(actor, t)]


def require(allowed: bool, action: str, item_type: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(action, item_type)
