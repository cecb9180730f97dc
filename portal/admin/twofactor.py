"""Second factor: TOTP (RFC 6238, any authenticator app) and one-time recovery codes.

Publishers, enforcement officers, admins and complaint handlers must have it (`required_for`); they are sent to
enrol before any other admin page. The secret is shown as a QR code (SVG rendered here, no
third party) and as text. A code is accepted once (the last time step used is kept, so a
code seen over a shoulder cannot be replayed). Recovery codes are random, shown once, kept
salted and hashed, and each works once.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno

from ..content.models import RecoveryCode, User, utcnow
from ..content.services import audit
from ..extensions import db

ROLES_REQUIRING = frozenset({"publisher", "enforcement", "admin", "complaints"})
ISSUER = "Cổng BVQLNTD Hải Phòng"
RECOVERY_CODES = 10
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i look-alikes


def required_for(user: User) -> bool:
    return user.role in ROLES_REQUIRING


def enabled(user: User) -> bool:
    return bool(user.totp_secret)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """The QR code of ``uri`` as an inline SVG element (no script, no style attribute)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff", title=title,
                                                 svgclass="qr", lineclass=None, omitsize=False)


def _matching_step(secret: str, code: str, after: int | None, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _clean(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()[:64]


def enrol(user: User, secret: str, code: str) -> list[str] | None:
    """Turn on the second factor with ``secret`` if ``code`` is right; returns new recovery codes."""
    code = _clean(code)
    step = _matching_step(secret, code, None, utcnow()) if len(code) == 6 and code.isascii() else None
    if step is None:
        return None
    user.totp_secret, user.totp_last_counter = secret, step
    codes = replace_recovery_codes(user)
    audit("user.2fa.enable", user, detail={"user": user.email})
    return codes


def verify(user: User, code: str) -> str | None:
    """Check a login's second factor: "totp" or "recovery-code" when accepted, else None."""
    if not enabled(user):
        return None
    cleaned = _clean(code)
    if len(cleaned) == 6 and cleaned.isascii() and cleaned.isdigit():
        step = _matching_step(user.totp_secret, cleaned, user.totp_last_counter, utcnow())
        if step is None:
            return None
        user.totp_last_counter = step
        return "totp"
    for row in db.session.execute(db.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).scalars():
        if _code_matches(row.code_hash, cleaned):
            row.used_at = utcnow()
            audit("user.2fa.recovery_code_used", user, detail={"user": user.email, "left": remaining(user) - 1})
            return "recovery-code"
    return None


def remaining(user: User) -> int:
    return db.session.execute(db.select(db.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).scalar_one()


def _hash_code(code: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    return f"sha256${salt}${hashlib.sha256((salt + code).encode()).hexdigest()}"


def _code_matches(stored: str, code: str) -> bool:
    try:
        _method, salt, _digest = stored.split("$")
    except ValueError:
        return False
    return hmac.compare_digest(_hash_code(code, salt), stored)


def replace_recovery_codes(user: User) -> list[str]:
    """New recovery codes for ``user`` (the old ones stop working); only their hashes are kept."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_CODE_ALPHABET) for _ in range(16)) for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_code(code)))
    return [f"{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:]}" for code in codes]
