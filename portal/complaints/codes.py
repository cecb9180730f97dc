"""Tracking codes: 10 characters a person can read over the phone.

Nine random characters from an alphabet without look-alikes (no 0/O, 1/I/L), then a check
character: a weighted sum modulo 31 (a prime, the alphabet's size), which catches any single
wrong character and any swap of two neighbours. 31⁹ ≈ 2.6·10¹³ codes; the status page also
asks for the e-mail or phone given and is rate-limited, so codes cannot be probed.
Shown as ``ABCDE-FGHJK``; typed with or without the dash, spaces, in any case.
"""
from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 9
LENGTH = RANDOM_LENGTH + 1


def check_character(body: str) -> str:
    total = sum((position + 1) * ALPHABET.index(char) for position, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_character(body)


def normalise(typed: str) -> str | None:
    """The code in ``typed`` (dashes, spaces and case ignored), or None when it cannot be one."""
    code = "".join((typed or "").split()).replace("-", "").upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    if check_character(code[:-1]) != code[-1]:
        return None
    return code


def display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"
