"""Phone numbers as the clinic writes them, and the tel: links a phone dials from them.

A care card says "Call your care team now: 555-0199" with the number as a link: the link must dial
exactly that number. So letters of a number like 1-800-4-CANCER dial their keypad digits, an
extension ("ext. 2", "x2") goes after ;ext= (RFC 3966) instead of joining the number, and a text
that is not a number a phone can dial is refused when site.yml is read (config.py).
"""

from __future__ import annotations

import re

_KEYPAD = {letter: digit for digit, letters in zip("23456789", ("ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ"))
           for letter in letters}
_EXTENSION = re.compile(r"(?:[\s,;]+(?:ext|extension|extensión)\.?|[\s,;]*\bx|[\s]*[,;])\s*(\d+)\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"\+?\(?[0-9A-Z](?:[0-9A-Z .()/-]*[0-9A-Z])?")  # capitals only: words are not a number
MIN_DIGITS = 3  # 911, 112 and 999 are the shortest numbers to call


def tel_uri(number: str) -> str | None:
    """Return the tel: address that dials number as written, or None when it is not a number."""
    extension = _EXTENSION.search(number)
    main = (number[:extension.start()] if extension else number).strip()
    if not _NUMBER.fullmatch(main):
        return None
    digits = "".join(_KEYPAD.get(c, c) for c in main if c.isdigit() or c in _KEYPAD or c == "+")
    if sum(c.isdigit() for c in digits) < MIN_DIGITS:
        return None
    return "tel:" + digits + (f";ext={extension.group(1)}" if extension else "")
