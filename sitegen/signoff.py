"""The `translated` and `approve` commands: record a fingerprint of the text in a page's front matter."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .config import load_config
from .diagnostics import ContentError, Diagnostic, display_path
from .frontmatter import split_front_matter
from .load import load_page
from .model import Page
from .sources import SourceFile, read_text
from .today import build_date


def load_one(content_dir: Path, rel: str) -> Page:
    """Load and check the page content_dir/rel on its own."""
    config = load_config(content_dir)
    path = content_dir / rel
    lang = rel.split("/", 1)[0]
    if path.is_file() and lang not in config.languages:
        raise ContentError(Diagnostic(display_path(path), None, "lang.unlisted", f'"{lang}" is not one of the site\'s languages',
                                      f"Add {lang} to languages in site.yml first, for example languages: [en, {lang}]."))
    if not path.is_file() or lang not in config.languages or not rel.endswith(".md"):
        raise ContentError(Diagnostic(display_path(path), None, "page.missing", "there is no such page",
                                      f"Give the page as it sits in the content folder, for example {config.default_language}/symptoms.md."))
    return load_page(SourceFile(path, rel, lang), config)


def mark_translated(content_dir: Path, rel: str) -> str:
    """Record in a translation which version of the default-language page it matches; return the fingerprint."""
    page = load_one(content_dir, rel)
    default = load_config(content_dir).default_language
    if page.lang == default:
        raise ContentError(Diagnostic(page.source.shown, None, "translation.default",
                                      f"this page is in the default language ({default}); it translates nothing",
                                      f"Give the translated page, for example es/{rel.split('/', 1)[1]}."))
    original = load_one(content_dir, default + rel[len(page.lang):])
    value = original.fingerprint
    set_fields(page.source.path, {"translation_of": value})
    return value


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
