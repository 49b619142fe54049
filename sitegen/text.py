"""Plain text from rendered HTML, for search, readability and glossary matching."""

from __future__ import annotations

import re
from html import unescape

_TAG = re.compile(r"<[^>]+>")
_TOOLTIP = re.compile(r'<span class="term-def"[^>]*>.*?</span>', re.DOTALL)  # glossary definitions added by the build
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|dt|dd|td|th|tr|div|section|blockquote)>", re.IGNORECASE)


def strip_tooltips(html: str) -> str:
    """Remove the glossary definitions the build adds after terms (they belong to the web page only)."""
    return _TOOLTIP.sub("", html)


def html_to_text(html: str) -> str:
    """Return the text of an HTML fragment, one block per line."""
    text = _BLOCK_END.sub("\n", strip_tooltips(html))
    text = _TAG.sub("", text)
    return "\n".join(line.strip() for line in unescape(text).split("\n") if line.strip())
