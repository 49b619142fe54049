"""Find the line of the source file where some rendered text comes from."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# Between two words of the text: spaces and markup, or the end of a link, "](page.md#part) ".
SEPARATOR = r"(?:\]\([^)]*\))?\W+"


@cache
def _file_text(path: Path, mtime: float) -> str:
    return path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")


def source_text(path: Path) -> str:
    """Return the text of a content file (read once per version of the file)."""
    try:
        return _file_text(path, path.stat().st_mtime)
    except OSError:
        return ""


def key_line(path: Path, key: str) -> int | None:
    """Return the line where a front matter field (key: at the start of a line) is, or None."""
    for number, line in enumerate(source_text(path).split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


def line_of(path: Path, text: str, start_line: int = 1) -> int | None:
    """Return the line, at or after start_line, where the words of text begin."""
    source = source_text(path)
    offset = _offset_of_line(source, start_line)
    words = WORD.findall(text)
    # Markdown puts link targets and markup between the words, so try fewer words until one fits.
    for n in sorted({len(words), 8, 5, 3, 1}, reverse=True):
        if n > len(words) or n == 0:
            continue
        pattern = r"(?<!\w)" + SEPARATOR.join(map(re.escape, words[:n]))
        match = re.compile(pattern, re.IGNORECASE).search(source, offset)
        if match:
            return source.count("\n", 0, match.start()) + 1
    return None


def _offset_of_line(source: str, line: int) -> int:
    offset = 0
    for _ in range(max(line - 1, 0)):
        offset = source.find("\n", offset) + 1
        if offset == 0:
            return len(source)
    return offset
