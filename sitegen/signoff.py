"""The `translated` and `approve` commands: record a fingerprint of the text in a page's front matter."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import yaml

from .config import load_config
from .diagnostics import ContentError, Diagnostic, display_path, plural
from .folders import inside
from .frontmatter import split_front_matter
from .load import load_page
from .model import Page
from .signs import SIGNS_FILE, load_signs, sign_fingerprint
from .sources import SourceFile, read_text
from .yamltext import parse_mapping
from .today import build_date


def load_one(content_dir: Path, rel: str) -> Page:
    """Load and check the page content_dir/rel on its own."""
    config = load_config(content_dir)
    path = content_dir / rel
    # ../, an absolute path or a link out: the command would change a file elsewhere
    if posixpath.isabs(rel) or ".." in rel.split("/") or not inside(path, content_dir):
        raise ContentError(Diagnostic(display_path(path), None, "page.outside", "this path leads outside the content folder",
                                      f"Give the page as it sits in the content folder, for example {config.default_language}/symptoms.md."))
    rel = posixpath.normpath(rel)  # without ../ it names the same file: en/./x.md is en/x.md
    lang = rel.split("/", 1)[0]
    if path.is_file() and lang not in config.languages:
        raise ContentError(Diagnostic(display_path(path), None, "lang.unlisted", f'"{lang}" is not one of the site\'s languages',
                                      f"Add {lang} to languages in site.yml first, for example languages: [en, {lang}]."))
    if not path.is_file() or lang not in config.languages or not rel.endswith(".md"):
        raise ContentError(Diagnostic(display_path(path), None, "page.missing", "there is no such page",
                                      f"Give the page as it sits in the content folder, for example {config.default_language}/symptoms.md."))
    return load_page(SourceFile(path, rel, lang), config, books={lang: load_signs(content_dir, lang, config.levels)})


def mark_translated(content_dir: Path, rel: str) -> str:
    """Record in a translation which version of the default-language page it matches; return the fingerprint."""
    if rel.endswith("/" + SIGNS_FILE):
        return mark_signs_translated(content_dir, rel)
    page = load_one(content_dir, rel)
    default = load_config(content_dir).default_language
    if page.lang == default:
        raise ContentError(Diagnostic(page.source.shown, None, "translation.default",
                                      f"this page is in the default language ({default}); it translates nothing",
                                      f"Give the translated page, for example es/{rel.split('/', 1)[1]}."))
    original = load_one(content_dir, default + page.rel[len(page.lang):])
    value = original.fingerprint
    set_fields(page.source.path, {"translation_of": value})
    return value


def mark_signs_translated(content_dir: Path, rel: str) -> str:
    """Record in each translated warning sign which version of its original it matches; return how many."""
    config = load_config(content_dir)
    lang = rel.split("/", 1)[0]
    path = content_dir / lang / SIGNS_FILE  # the file load_signs reads, never another one rel leads to
    if rel != f"{lang}/{SIGNS_FILE}" or lang == config.default_language or lang not in config.languages \
            or not path.is_file():
        raise ContentError(Diagnostic(display_path(path), None, "translation.default",
                                      f"give the warning signs of a translation, as LANG/{SIGNS_FILE} in the content "
                                      f"folder (LANG another of the site's languages than {config.default_language})",
                                      f"For example: python build.py translated {config.languages[-1]}/{SIGNS_FILE}"))
    original = load_signs(content_dir, config.default_language, config.levels)
    load_signs(content_dir, lang, config.levels)  # the file must be valid before it is changed
    prints = {sign.id: sign_fingerprint(sign, original.group_of(sign)) for sign in original.signs} if original else {}
    lines = read_text(path).split("\n")
    doc = parse_mapping("\n".join(lines))
    items = [(("groups", g, "signs", s), sign["id"]) for g, group in enumerate(doc.data["groups"])
             for s, sign in enumerate(group["signs"]) if sign["id"] in prints]
    for keys, sign_id in reversed(items):  # from the bottom up, so the lines still to change keep their numbers
        _set_sign_field(lines, doc, keys, "translation_of", prints[sign_id])
    done = len(items)
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"{plural(done, 'sign')}"


def _set_sign_field(lines: list[str], doc, keys: tuple, key: str, value: str) -> None:
    """Set key: value in one list item, on its own line, lined up with the item's id."""
    existing = doc.lines.get(keys + (key,))
    if existing:
        line = lines[existing - 1]
        lines[existing - 1] = line[: line.index(key + ":")] + f"{key}: {value}"
        return
    at = doc.lines[keys + ("id",)]
    column = lines[at - 1].index("id:")
    lines.insert(at, " " * column + f"{key}: {value}")


def approve(content_dir: Path, rel: str, name: str, credentials: str) -> str:
    """Record a clinician's review of the page's current text, dated today in the site's time zone; return the fingerprint."""
    page = load_one(content_dir, rel)
    value = page.fingerprint
    today = build_date(load_config(content_dir).timezone)
    set_fields(page.source.path, {"reviewed": today, "reviewers": [{"name": name, "credentials": credentials}],
                                  "review_fingerprint": value, "next_review": None})
    return value


def set_fields(path: Path, fields: dict) -> None:
    """Replace or add top-level front matter fields (None removes one), keeping every other line as it is."""
    split = split_front_matter(read_text(path), display_path(path))
    lines = split.meta_text.split("\n") if split.meta_text else []
    for key, value in fields.items():
        start, end = _field_span(lines, key)
        new = [] if value is None else yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False).rstrip("\n").split("\n")
        if start is None:
            lines.extend(new)
        else:
            lines[start:end] = new
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + split.body, encoding="utf-8")


def _field_span(lines: list[str], key: str) -> tuple[int | None, int | None]:
    """Return the line range of a top-level key and its indented continuation lines."""
    for i, line in enumerate(lines):
        if re.match(rf"{re.escape(key)}\s*:", line):
            end = i + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t", "-")) or not lines[end].strip()):
                end += 1
            return i, end
    return None, None
