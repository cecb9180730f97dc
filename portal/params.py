"""Reading numbers and passing on arguments from a query string, safely.

``str.isdigit()`` is true for "¹", "³" or "٣" (digits of other scripts and superscripts),
which ``int()`` then refuses or reads in ways nobody meant; ``whole_number`` accepts ASCII
digits only. ``url_args`` keeps request arguments that are safe to hand to ``url_for``,
whose own options (``_anchor``, ``_external``, ``_scheme``, ``_method``) start with "_".
"""
from __future__ import annotations

import re
from typing import Mapping

_ASCII_DIGITS = re.compile(r"[0-9]+")


def whole_number(raw: object, low: int | None = None, high: int | None = None,
                 max_digits: int = 15) -> int | None:
    """``raw`` as an int when it is ASCII digits only and inside [low, high]; else None."""
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not raw or len(raw) > max_digits or not _ASCII_DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    if (low is not None and value < low) or (high is not None and value > high):
        return None
    return value


def url_args(args: Mapping, without: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Query arguments as url_for keyword arguments, without names url_for would take as options."""
    pairs = args.to_dict(flat=False).items() if hasattr(args, "to_dict") else args.items()
    return {str(name): values for name, values in pairs
            if not str(name).startswith("_") and name not in without}
