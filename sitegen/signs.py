"""Warning signs, written once: the clinic's urgency levels (site.yml) and each language's signs.

The levels are the clinic's policy, most urgent first: what each asks the reader to do first
(with the number to call) and what to do if that fails. The signs live in
content/<lang>/warning-signs.yml, grouped by the problem they point to, each with its level and
the page that explains it. Care cards on pages are made from these (see cards.py), so a sign
reads the same, at the same level, with the same numbers, wherever it appears.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import ContentError, Diagnostic, did_you_mean, display_path
from .fields import FieldCheck, placeholders
from .sources import read_text
from .yamltext import YamlProblem, parse_mapping

SIGNS_FILE = "warning-signs.yml"
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NUMBERS = ("phone", "after_hours_phone", "emergency_number")  # what a level's texts may put in {braces}
LEVEL_TEXTS = ("name", "heading", "action", "fallback")
LEVEL_KEYS = {"id", *LEVEL_TEXTS}
GROUP_KEYS = {"id", "name", "page", "signs"}
SIGN_KEYS = {"id", "level", "says", "page", "words", "decision", "translation_of"}
LEVELS_EXAMPLE = """warning_levels:
  - id: emergency
    name: Emergency
    heading: "Get help now if you have any of these signs:"
    action: "Call your care team's 24-hour number now: {after_hours_phone}."
    fallback: "If you cannot reach them, call {emergency_number} or go to the emergency room."
"""


@dataclass(frozen=True)
class Level:
    """One urgency level: its words in each language, as (language, text) pairs."""

    id: str
    rank: int  # 1 is the most urgent
    texts: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (field, ((lang, text), ...))

    def text(self, name: str, lang: str) -> str:
        return dict(dict(self.texts).get(name, ())).get(lang, "")

    @property
    def style(self) -> str:
        """The card's look: the two most urgent levels stand out, the others share a calmer one."""
        return {1: "emergency", 2: "urgent"}.get(self.rank, "non-urgent")


@dataclass(frozen=True)
class Sign:
    """One warning sign as a patient would recognise it."""

    id: str
    level: str
    says: str
    page: str  # the page that explains it, as a content path: en/spinal-cord-compression.md
    group: str
    words: tuple[str, ...] = ()  # everyday words that show the sign is being talked about in a page's prose
    decision: str = ""  # why the level is still a clinician's decision (empty when settled)
    translation_of: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Group:
    """Signs that point to one problem, explained on one page."""

    id: str
    name: str
    page: str
    signs: tuple[Sign, ...]
    line: int | None = None


@dataclass
class SignBook:
    """The warning signs of one language."""

    lang: str
    path: str  # as shown to editors
    groups: tuple[Group, ...] = ()
    by_id: dict[str, Sign] = field(default_factory=dict)
    stale: set[str] = field(default_factory=set)  # signs whose original changed since they were translated

    @property
    def signs(self) -> list[Sign]:
        return [sign for group in self.groups for sign in group.signs]

    def group_of(self, sign: Sign) -> Group:
        return next(group for group in self.groups if group.id == sign.group)


# Levels, from site.yml ----------------------------------------------------------------------

def parse_levels(check: FieldCheck, value, languages: tuple[str, ...], clinic) -> tuple[Level, ...]:
    """Return the warning levels of site.yml (() when there are none), reporting every problem."""
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        check.fail(("warning_levels",), "type.warning_levels", '"warning_levels" must be a list of levels, most urgent first',
                   "Write, for example:\n" + LEVELS_EXAMPLE)
        return ()
    levels, seen = [], {}
    for i, item in enumerate(value):
        keys = ("warning_levels", i)
        if not isinstance(item, dict):
            check.fail(keys, "type.warning_levels", "each level needs id, name, heading, action and fallback", LEVELS_EXAMPLE)
            continue
        check.unknown_keys(item, LEVEL_KEYS, keys)
        level_id = _safe_id(check, item, keys)
        if level_id in seen:
            check.fail(keys + ("id",), "level.duplicate", f'the level "{level_id}" is defined twice',
                       f"Each level needs its own id; the first is at line {check.line(*seen[level_id])}.")
        seen.setdefault(level_id, keys + ("id",))
        texts = tuple((name, _level_text(check, item, name, keys, languages, clinic)) for name in LEVEL_TEXTS)
        if level_id:
            levels.append(Level(level_id, len(levels) + 1, texts))
    return tuple(levels)


def _safe_id(check: FieldCheck, item: dict, keys: tuple) -> str:
    value = check.text(item, "id", keys + ("id",), required=True) or ""
    if value and not SAFE_NAME.match(value):
        check.fail(keys + ("id",), "type.id", f'"{value}" cannot be an id',
                   "Use lowercase letters, digits and hyphens, for example spinal-cord.")
        return ""
    return value


def _level_text(check: FieldCheck, item: dict, name: str, keys: tuple, languages, clinic) -> tuple:
    """Return ((lang, text), ...) for one of a level's texts: one per language, with known {numbers} only."""
    required = name != "fallback"
    value = item.get(name)
    if value is None:
        if required:
            check.fail(keys, f"missing.{name}", f'the level has no "{name}"', "Each level needs:\n" + LEVELS_EXAMPLE)
        return ()
    if isinstance(value, dict):
        check.unknown_keys(value, set(languages), keys + (name,))
        texts = {lang: check.text(value, lang, keys + (name, lang)) for lang in languages}
    elif len(languages) == 1:
        texts = {languages[0]: check.text(item, name, keys + (name,))}
    else:
        check.fail(keys + (name,), f"type.{name}", f'"{name}" must be given in each language ({", ".join(languages)})',
                   f"Write it as\n    {name}:\n" + "".join(f"      {lang}: ...\n" for lang in languages))
        return ()
    for lang in languages:
        if not texts.get(lang):
            check.fail(keys + (name,), "level.language", f'the level has no "{name}" in {lang}',
                       f"Add a line {lang}: ... under {name}: so {lang} readers are told what to do.")
    for lang, text in texts.items():
        if text:
            _check_numbers(check, keys + (name, lang) if isinstance(value, dict) else keys + (name,), name, text, clinic)
    return tuple((lang, text) for lang, text in texts.items() if text)


def _check_numbers(check: FieldCheck, keys: tuple, name: str, text: str, clinic) -> None:
    """The action must name a number to call, and every {number} must be one the clinic has."""
    used = placeholders(text)
    if used is None or any(f not in NUMBERS for f in used):
        check.fail(keys, "level.number", f'"{name}" may only use the numbers {", ".join("{%s}" % n for n in NUMBERS)}',
                   "Write the number's name in braces, for example {after_hours_phone}; to show a brace, leave it out.")
        return
    if name == "action" and not used:
        check.fail(keys, "level.number", "the level's action does not say which number to call",
                   "A card must never show without a number: put {after_hours_phone}, {phone} or "
                   "{emergency_number} in the action.")
    if "after_hours_phone" in used and not clinic.after_hours_phone:
        check.fail(keys, "level.number", "the level uses {after_hours_phone}, but the clinic has none",
                   "Add after_hours_phone: under clinic: in site.yml, or use {phone}.")


def fill_numbers(text: str, config) -> list[tuple[str, bool]]:
    """Split a level's text into (text, False) and (phone number, True) parts."""
    numbers = {"phone": config.clinic.phone, "after_hours_phone": config.clinic.after_hours_phone or "",
               "emergency_number": config.emergency_number}
    parts = []
    for literal, name, _, _ in string.Formatter().parse(text):
        if literal:
            parts.append((literal, False))
        if name is not None:
            parts.append((numbers[name], True))
    return parts


# Signs, from content/<lang>/warning-signs.yml -------------------------------------------------

def load_signs(content_dir: Path, lang: str, levels: tuple[Level, ...]) -> SignBook | None:
    """Return one language's warning signs, or None when it has no warning-signs.yml."""
    path = content_dir / lang / SIGNS_FILE
    if not os.path.lexists(path):
        return None
    shown = display_path(path)
    try:
        doc = parse_mapping(read_text(path, content_dir))
    except YamlProblem as exc:
        raise ContentError(Diagnostic(shown, exc.line, "yaml", str(exc), exc.hint)) from None
    check = FieldCheck(shown, doc, default_line=1)
    if not levels:
        check.fail(("groups",), "signs.levels", "there are warning signs but site.yml has no warning_levels",
                   "Add the clinic's levels to site.yml, most urgent first:\n" + LEVELS_EXAMPLE)
    book = SignBook(lang, shown)
    book.groups = _groups(check, doc.data, lang, {level.id for level in levels})
    _index(check, book)
    check.raise_if_failed()
    return book


def _groups(check: FieldCheck, data: dict, lang: str, level_ids: set[str]) -> tuple[Group, ...]:
    check.unknown_keys(data, {"groups"})
    value = data.get("groups")
    if not isinstance(value, list) or not value:
        check.fail(("groups",), "type.groups", "the warning signs must be a list of groups",
                   "Start with 'groups:', then '- id: ...', 'name: ...', 'page: ...' and 'signs:' for each group.")
        return ()
    groups = []
    for i, item in enumerate(value):
        keys = ("groups", i)
        if not isinstance(item, dict):
            check.fail(keys, "type.groups", "each group needs id, name, page and signs", "See EDITING.md, Warning signs.")
            continue
        check.unknown_keys(item, GROUP_KEYS, keys)
        group_id = _safe_id(check, item, keys)
        page = _page(check, item, keys, lang, required=True)
        signs = _signs(check, item.get("signs"), keys, lang, group_id, page, level_ids)
        groups.append(Group(group_id, check.text(item, "name", keys + ("name",), required=True) or "",
                            page, signs, check.line(*keys)))
    return tuple(groups)


def _signs(check: FieldCheck, value, group_keys: tuple, lang: str, group: str, page: str, level_ids) -> tuple[Sign, ...]:
    if not isinstance(value, list) or not value:
        check.fail(group_keys + ("signs",), "type.signs", "each group needs a list of signs",
                   "Under signs:, write '- id: ...', 'level: ...' and 'says: ...' for each sign.")
        return ()
    signs = []
    for i, item in enumerate(value):
        keys = group_keys + ("signs", i)
        if not isinstance(item, dict):
            check.fail(keys, "type.signs", "each sign needs id, level and says", "Write '- id: ...', then 'level:' and 'says:'.")
            continue
        check.unknown_keys(item, SIGN_KEYS, keys)
        level = check.text(item, "level", keys + ("level",), required=True) or ""
        if level and level not in level_ids:
            check.fail(keys + ("level",), "sign.level", f'there is no level "{level}" in site.yml',
                       did_you_mean(level, level_ids) or "Levels: " + ", ".join(sorted(level_ids)) + ".")
        signs.append(Sign(_safe_id(check, item, keys), level, check.text(item, "says", keys + ("says",), required=True) or "",
                          _page(check, item, keys, lang) or page, group,
                          tuple(check.text_list(item, "words", keys + ("words",))),
                          check.text(item, "decision", keys + ("decision",)) or "",
                          check.text(item, "translation_of", keys + ("translation_of",)) or "",
                          check.line(*keys)))
    return tuple(signs)


def _page(check: FieldCheck, item: dict, keys: tuple, lang: str, required=False) -> str:
    value = check.text(item, "page", keys + ("page",), required=required)
    if not value:
        return ""
    rel = posixpath.normpath(posixpath.join(lang, value))
    if not value.endswith(".md") or rel.split("/")[0] != lang:
        check.fail(keys + ("page",), "sign.page", f'"{value}" is not a page of the {lang} content',
                   "Give the page's file as it sits in the language folder, for example spinal-cord-compression.md.")
        return ""
    return rel


def _index(check: FieldCheck, book: SignBook) -> None:
    """Index the signs by id; an id, or the same words, used twice is an error naming both lines."""
    names: dict[str, int | None] = {}
    words: dict[str, Sign] = {}
    for group in book.groups:
        _once(check, names, group.id, group.line)
        for sign in group.signs:
            _once(check, names, sign.id, sign.line)
            book.by_id.setdefault(sign.id, sign)
            said = " ".join(sign.says.casefold().split())
            if said in words and said:
                first = words[said]
                check.problems.append(Diagnostic(check.path, sign.line, "sign.twice",
                                                 f'this sign says the same as "{first.id}" (line {first.line})',
                                                 "Each sign is written once: remove one, and show it where needed with !!! signs."))
            words.setdefault(said, sign)


def _once(check: FieldCheck, names: dict, name: str, line) -> None:
    if name and name in names:
        check.problems.append(Diagnostic(check.path, line, "sign.duplicate",
                                         f'the id "{name}" is used twice (also at line {names[name]})',
                                         "Give every group and sign its own id."))
    names.setdefault(name, line)


# Selecting signs for a card --------------------------------------------------------------------

def select(book: SignBook, levels: tuple[Level, ...], names: list[str]) -> tuple[list[Sign], list[str]]:
    """Return the signs named by ids, group ids or level ids (in book order), and the unknown names."""
    wanted, unknown = set(), []
    level_ids = {level.id for level in levels}
    for name in names:
        group = next((g for g in book.groups if g.id == name), None)
        if name in book.by_id:
            wanted.add(name)
        elif group is not None:
            wanted.update(sign.id for sign in group.signs)
        elif name in level_ids:
            wanted.update(sign.id for sign in book.signs if sign.level == name)
        else:
            unknown.append(name)
    return [sign for sign in book.signs if sign.id in wanted], unknown


def selector_names(book: SignBook | None, levels: tuple[Level, ...]) -> set[str]:
    """Return every name a card may ask for: sign ids, group ids and level ids."""
    names = {level.id for level in levels}
    if book:
        names |= set(book.by_id) | {group.id for group in book.groups}
    return names


def by_level(signs: list[Sign], levels: tuple[Level, ...]) -> list[tuple[Level, list[Sign]]]:
    """Return the signs split into one list per level, most urgent first."""
    return [(level, [s for s in signs if s.level == level.id]) for level in levels
            if any(s.level == level.id for s in signs)]


# Fingerprints: what a card shows is part of the text a translation or a review covers ----------

def sign_fingerprint(sign: Sign, group: Group) -> str:
    """Return a short hash of what readers see of a sign: its words, level, group and page."""
    data = [sign.says, sign.level, group.name, sign.page.split("/", 1)[1]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:12]


DIRECTIVE = re.compile(r"^[ \t]*!!![ \t]*signs\b([ \w-]*)", re.MULTILINE)


def card_requests(body: str) -> list[list[str]]:
    """Return the names each `!!! signs ...` line of a page body asks for, in order."""
    return [match.group(1).split() for match in DIRECTIVE.finditer(body)]


def cards_digest(body: str, book: SignBook | None, levels: tuple[Level, ...], lang: str, all_signs=False) -> str:
    """Return a hash of the cards a page shows (signs, levels and their words; not the numbers), or ''."""
    if book is None:
        return ""
    requests = card_requests(body) + ([[level.id for level in levels]] if all_signs else [])
    if not requests:
        return ""
    shown = []
    for names in requests:
        signs, _ = select(book, levels, names)
        for level, group_signs in by_level(signs, levels):
            shown.append([[level.text(name, lang) for name in LEVEL_TEXTS],
                          [sign_fingerprint(s, book.group_of(s)) for s in group_signs]])
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()[:12]
