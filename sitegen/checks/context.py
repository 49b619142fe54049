"""What every check of one page needs: the page, its text, the site, and a place to put problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import ERROR, NOTE, WARNING, Diagnostic
from ..model import Page, Site
from .html import Block, PageText
from .locate import line_of
from .results import PageResult

PROSE = ("p", "li", "dd")


@dataclass
class PageCheck:
    page: Page
    text: PageText
    site: Site
    result: PageResult
    today: dt.date
    content_dir: Path
    jargon: tuple[str, ...] = ()
    _block_lines: dict[int, int | None] | None = None

    @property
    def body(self) -> list[str]:
        """Return the body prose measured for reading level: paragraphs and list items, no care cards."""
        return [b.text for b in self.text.blocks if b.kind in PROSE and not b.care]

    @property
    def boxes(self) -> list[str]:
        """Return the key points and the care cards' text, which have their own, lower target."""
        care = [b.text for b in self.text.blocks if b.care and b.kind in (*PROSE, "title")]
        return list(self.page.meta.key_points) + care

    def block_line(self, block: Block) -> int | None:
        """Return the line where a block of the page starts, telling repeated blocks apart."""
        if self._block_lines is None:
            self._block_lines, cursor = {}, self.page.body_line
            for index, each in enumerate(self.text.blocks):
                line = line_of(self.page.source.path, each.text, cursor)
                self._block_lines[index] = line
                cursor = line or cursor
        index = next(i for i, each in enumerate(self.text.blocks) if each is block)
        return self._block_lines[index]

    def line_of(self, text: str) -> int | None:
        """Return the line of the page file where text appears (the body first, then the front matter)."""
        path = self.page.source.path
        return line_of(path, text, self.page.body_line) or line_of(path, text)

    def add(self, severity: str, code: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.result.problems.append(Diagnostic(self.result.path, line, code, message, hint, severity))

    def error(self, code: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.add(ERROR, code, message, hint, line)

    def warning(self, code: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.add(WARNING, code, message, hint, line)

    def note(self, code: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.add(NOTE, code, message, hint, line)
