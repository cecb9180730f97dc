"""Who may handle complaints. Only the ``complaints`` role (complaint handlers of Sở Công Thương)
reads complaints, their contact details and attachments, and changes them. Admins manage
accounts but do not read complaints; editors and enforcement officers neither."""
from __future__ import annotations

from ..content.models import User
from ..content.permissions import PermissionDenied, require

ROLE = "complaints"

__all__ = ["ROLE", "can_handle", "can_read_personal_data", "can_export", "can_draft_warning",
           "require", "PermissionDenied"]


def _role(actor: User | None) -> str | None:
    if actor is None or not getattr(actor, "active", False):
        return None
    return actor.role


def can_handle(actor: User | None) -> bool:
    """See the queue and change complaints (status, assignment, notes, messages, links)."""
    return _role(actor) == ROLE


def can_read_personal_data(actor: User | None) -> bool:
    """See contact details, the person's own words and attachments."""
    return _role(actor) == ROLE


def can_export(actor: User | None) -> bool:
    """Download the reporting export (it never holds personal data, whoever asks)."""
    return _role(actor) == ROLE


def can_draft_warning(actor: User | None) -> bool:
    """Turn a report into a warning draft for the editors (no personal data goes into it)."""
    return _role(actor) == ROLE
