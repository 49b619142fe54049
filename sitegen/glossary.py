"""Load content/<lang>/glossary.yml: the medical terms a site explains."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .diagnostics import ContentError, ContentErrors, Diagnostic, display_path
from .fields import FieldCheck
from .sources import read_text
from .yamltext import YamlDoc, YamlProblem, parse_yaml

GLOSSARY_FILE = "glossary.yml"
TERM_KEYS = {"term", "also", "plain", "definition"}


@dataclass(frozen=True)
class Term:
    """One glossary entry: the term, other forms of it, everyday words and a definition."""

    term: str
    definition: str
    also: tuple[str, ...] = ()
    plain: tuple[str, ...] = ()

    @cached_property
    def slug(self) -> str:
        # Letters of any script stay (Ωμος and Жар get ids of their own); accents, spaces and signs go.
        return "term-" + re.sub(r"[\W_]+", "-", plain_letters(self.term)).strip("-")

    @property
    def forms(self) -> tuple[str, ...]:
        """Every spelling that counts as a use of the term in page text."""
        return (self.term, *self.also)


def plain_letters(text: str) -> str:
    """Return text in lower case without accents, for sorting and ids (cáncer -> cancer)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def load_glossary(lang_dir: Path) -> tuple[Term, ...]:
    """Return the terms of one language, or () when there is no glossary file."""
    path = lang_dir / GLOSSARY_FILE
    if not os.path.lexists(path):
        return ()
    return _parse_glossary(display_path(path), read_text(path, lang_dir.parent))


@functools.lru_cache(maxsize=8)
def _parse_glossary(shown: str, text: str) -> tuple[Term, ...]:
    """Parse and check a glossary file's text (kept, so the preview server parses it once per change)."""
    try:
        doc = parse_yaml(text)
    except YamlProblem as exc:
        raise ContentError(Diagnostic(shown, exc.line, "yaml", str(exc), exc.hint)) from None
    return _terms(FieldCheck(shown, doc, default_line=1), doc)


def _terms(check: FieldCheck, doc: YamlDoc) -> tuple[Term, ...]:
    entries = doc.data or []
    if not isinstance(entries, list):
        check.fail((), "glossary.type", "the glossary must be a list of terms",
                   "Start each term with '- term: ...' followed by 'definition: ...'.")
        raise ContentErrors(check.problems)
    terms = []
    for i, item in enumerate(entries):
        if not isinstance(item, dict):
            check.fail((i,), "glossary.type", "each glossary entry needs term: and definition:",
                       "Write '- term: Biopsy' and, under it, '  definition: ...'.")
            continue
        check.unknown_keys(item, TERM_KEYS, (i,))
        term = check.text(item, "term", (i, "term"), required=True)
        definition = check.text(item, "definition", (i, "definition"), required=True)
        also = check.text_list(item, "also", (i, "also"))
        plain = check.text_list(item, "plain", (i, "plain"))
        if term and definition:
            terms.append((i, Term(term, definition, tuple(also), tuple(plain))))
    _duplicates(check, terms)
    check.raise_if_failed()
    return tuple(sorted((term for _, term in terms), key=lambda t: plain_letters(t.term)))


def _duplicates(check: FieldCheck, terms: list[tuple[int, Term]]) -> None:
    """Each spelling (in any case) belongs to one entry, and no two terms share an id on the glossary page."""
    seen: dict[tuple, tuple[int, str, str]] = {}  # key -> (entry, spelling, "file:line")

    def earlier(key: tuple, entry: int, spelling: str, where: tuple):
        """Claim key for entry; return (spelling, place) when another entry claimed it first."""
        first = seen.setdefault(key, (entry, spelling, f"{check.path}:{check.line(*where)}"))
        return first[1:] if first[0] != entry else None

    for i, term in terms:
        for where, form in [((i, "term"), term.term), *(((i, "also", j), f) for j, f in enumerate(term.also))]:
            first = earlier(("form", form.casefold()), i, form, where)
            if first:
                check.fail(where, "glossary.duplicate", f'"{form}" is already in the glossary, as "{first[0]}" at {first[1]}',
                           "Keep each word under one term only: merge the two entries or delete one.")
        first = earlier(("id", term.slug), i, term.term, (i, "term"))
        if first and first[0].casefold() != term.term.casefold():  # the same word is reported above
            check.fail((i, "term"), "glossary.duplicate",
                       f'"{term.term}" would get the same link id as "{first[0]}" at {first[1]}',
                       "Merge the two terms, or spell them apart by more than accents or punctuation.")


@functools.lru_cache(maxsize=8)
def term_pattern(terms: tuple[Term, ...]) -> re.Pattern | None:
    """Return one regex matching any form of any term, longest first, as whole words."""
    forms = {form.lower() for term in terms for form in term.forms}
    if not forms:
        return None
    return re.compile(r"(?<![\w-])(" + _trie_pattern(forms) + r")(?![\w-])", re.IGNORECASE)


def _trie_pattern(words) -> str:
    """Return a regex matching any of the words, as a letter tree that tries longer words first.

    One alternative per word would make the regex try every word at every position of the text;
    the tree tries only the words that begin with the letters it has seen (several times faster).
    """
    tree: dict = {}
    for word in words:
        node = tree
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(letter) + pattern(child) for letter, child in sorted(node.items()) if letter]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


def terms_used(text: str, terms: tuple[Term, ...]) -> list[Term]:
    """Return the terms whose forms appear in text, in order of first appearance."""
    pattern = term_pattern(terms)
    if pattern is None:
        return []
    by_form = {form.lower(): term for term in terms for form in term.forms}
    found: dict[str, Term] = {}
    for match in pattern.finditer(text):
        term = by_form[match.group(1).lower()]
        found.setdefault(term.term, term)
    return list(found.values())


# Whether the text explains a word where it first appears (checks/jargon.py, and the handouts' word box).

_AFTER = re.compile(
    r"""^(?:\s*\(                      # X (plain words)
        |\s*[:—–]\s*\w | \s+-\s+\w     # X: plain words / X - plain words
        |,?\s+(?:which|that)\s+means?\b | ,?\s+meaning\b | \s+means\b
        |\s+(?:is|are)\s+(?:an?|when|the\s+name\s+for)\b
        |,?\s+(?:que\s+significa|es\s+decir)\b)    # Spanish: "que significa", "es decir"
    """, re.VERBOSE | re.IGNORECASE)
_BEFORE = re.compile(r"\b(?:called|known\s+as|named|llamad[oa]s?|se\s+llama|se\s+llaman)\s+"
                     r"(?:an?\s+|the\s+|una?\s+|el\s+|la\s+|los\s+|las\s+)?$", re.IGNORECASE)


def explained(text: str, start: int, end: int) -> bool:
    """True when the words around text[start:end] explain it."""
    before, after = text[:start], text[end:end + 80]  # "called" is a few words before; 80 covers "which means"
    if _AFTER.match(after) or _BEFORE.search(before[-40:]):
        return True
    return reversed_explanation(before) and after.lstrip().startswith(")")


def reversed_explanation(before: str) -> bool:
    """True when everyday words and a "(" come right before the word: "the hip bones (pelvis)".

    The same as the pattern \\w[^()]*\\(\\s*$, without searching the whole paragraph for it."""
    head = before.rstrip()
    if not head.endswith("("):
        return False
    head = head[:-1]
    since_paren = head[max(head.rfind("("), head.rfind(")")) + 1:]
    return any(ch.isalnum() or ch == "_" for ch in since_paren)


def terms_unexplained(text: str, terms: tuple[Term, ...]) -> list[Term]:
    """Return the terms used in text (one paragraph a line) that its words do not explain where they first appear."""
    pattern = term_pattern(terms)
    if pattern is None:
        return []
    by_form = {form.lower(): term for term in terms for form in term.forms}
    first: dict[str, bool] = {}
    for line in text.splitlines():
        for match in pattern.finditer(line):
            term = by_form[match.group(1).lower()]
            if term.term not in first:  # only where it first appears
                first[term.term] = explained(line, *match.span())
    return [term for term in terms_used(text, terms) if not first.get(term.term)]
