"""Medical words: find them on a page and see whether the text explains them where they first appear.

Two lists feed it: the glossary (content/<lang>/glossary.yml, terms with definitions) and the
jargon list (content/<lang>/jargon.yml, medical words editors can extend). A word counts as
explained when the text explains it right where it first appears (standards T6, PEMAT item 4):
a parenthesis after it, "which means", "meaning", "is a", a colon or dash, or "called" before it,
or the reverse, everyday words followed by the term in brackets: "the hip bones (pelvis)".
The glossary's pop-up definitions do not count: they do not print.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import ContentError, Diagnostic, display_path
from ..glossary import Term, explained, term_pattern
from ..sources import read_text
from ..yamltext import YamlProblem, parse_yaml
from .context import PROSE, PageCheck

JARGON_FILE = "jargon.yml"

@dataclass(frozen=True)
class Use:
    """The first use of a medical word on a page."""

    key: str  # the glossary term or jargon entry it is a use of
    word: str  # as written on the page
    context: str  # the paragraph or list item it is in
    explained: bool


@dataclass(frozen=True)
class TermScan:
    glossary: list[Use]  # first use of each glossary term on the page
    jargon: list[Use]  # first use of each jargon word the glossary does not define


def load_jargon(lang_dir: Path) -> tuple[str, ...]:
    """Return the jargon words of one language, or () when there is no jargon.yml."""
    path = lang_dir / JARGON_FILE
    if not os.path.lexists(path):
        return ()
    shown = display_path(path)
    hint = "Write one word per line, each starting with '- ', e.g. - osteolytic"
    try:
        doc = parse_yaml(read_text(path, lang_dir.parent))
    except YamlProblem as exc:
        raise ContentError(Diagnostic(shown, exc.line, "yaml", str(exc), exc.hint)) from None
    data = doc.data
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ContentError(Diagnostic(shown, 1, "jargon.type", "the jargon list must be a list of words", hint))
    for i, word in enumerate(data):
        if not isinstance(word, str) or not word.strip():
            raise ContentError(Diagnostic(shown, doc.line_of(i), "jargon.type",
                                          "each entry must be a word or a phrase, not a list or nothing", hint))
    return tuple(dict.fromkeys(w.strip() for w in data))


def scan(ctx: PageCheck) -> TermScan:
    """Find the first use of every glossary term and jargon word, in reading order."""
    segments = list(ctx.page.meta.key_points) + [b.text for b in ctx.text.blocks if b.kind in PROSE]
    terms = ctx.site.glossary.get(ctx.page.lang, ())
    glossary_re = term_pattern(terms)
    covered = [_spans(glossary_re, s) for s in segments]
    return TermScan(_glossary_uses(segments, terms, glossary_re), _jargon_uses(segments, covered, ctx.jargon, terms))


def check_jargon(ctx: PageCheck, found: TermScan) -> list[str]:
    """Report jargon the glossary does not define and the text does not explain; return those words."""
    glossary = display_path(ctx.content_dir / ctx.page.lang / "glossary.yml")
    flagged = []
    for use in found.jargon:
        if use.explained:
            continue
        flagged.append(use.key)
        ctx.error("jargon", f'"{use.word}" is a medical word that the glossary does not define '
                            "and the text does not explain",
                  f'Explain it in plain words where it first appears, for example "{use.word} (...)", or add it to '
                  f"{glossary}. If your readers all know it, remove it from {JARGON_FILE}.",
                  ctx.line_of(use.context))
    return flagged


def _spans(pattern: re.Pattern | None, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def _glossary_uses(segments: list[str], terms: tuple[Term, ...], pattern) -> list[Use]:
    if pattern is None:
        return []
    by_form = {form.lower(): term.term for term in terms for form in term.forms}
    first: dict[str, Use] = {}
    for segment in segments:
        for match in pattern.finditer(segment):
            key = by_form[match.group(1).lower()]
            if key not in first:
                first[key] = Use(key, match.group(1), segment, explained(segment, *match.span()))
    return list(first.values())


def _jargon_uses(segments: list[str], covered: list, words: tuple[str, ...], terms: tuple[Term, ...]) -> list[Use]:
    forms = {form.lower() for term in terms for form in term.forms}
    uses = []
    for word in words:
        if word.lower() in forms:
            continue  # the glossary defines it
        pattern = jargon_pattern(word)
        for segment, spans in zip(segments, covered):
            match = next((m for m in pattern.finditer(segment) if not _inside(m.span(), spans)), None)
            if match:
                uses.append(Use(word, match.group(0), segment, explained(segment, *match.span())))
                break
    return uses


def jargon_pattern(word: str) -> re.Pattern:
    """Match word as a whole word, with a plural ending; words in capitals (MRI) match only in capitals."""
    body = r"\s+".join(map(re.escape, word.split()))
    plural = r"(?:s|es)?" if word[-1:].isalpha() else ""
    flags = 0 if word.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){body}{plural}(?![\w-])", flags)


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """True when span overlaps a glossary term's use: that term's explanation covers it."""
    return any(start < span[1] and span[0] < end for start, end in spans)
