"""Turn a folder of MkDocs pages into sitegen pages: names, front matter and links.

What can be known is filled in: the title from the page's `# Title` (or its nav title), its place
from the nav. What cannot is a TODO that `check` lists: every page needs a description and its
sources, which no MkDocs page has. A description is offered from the page's first sentence, marked
TODO for the editor to check, never passed off as written for the purpose.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import yaml

from .assets import TYPES
from .mkdocs_source import MkDocsSource
from .schema import ALLOWED_KEYS
from .starter.settings import quoted
from .titles import leading_title, same_title

PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
SOURCES_TODO = ('sources:\n  - {title: "TODO: a source of this page\'s facts", publisher: "TODO: who published it", '
                'url: "https://TODO.example.org/"}')
TOPIC_BODY = "\nTODO: In one or two sentences, say who this part of the site is for and what it covers.\n"
_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)")  # [text](target ...) and ![alt](target ...)
_REFERENCE = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*<?)(\S+?)(?=>|\s|$)", re.M)  # [id]: target
_NOT_PROSE = ("#", "!!!", "???", "```", "~~~", "<", "|", "-", "*", "+", ">", "![", "[TOC]", "---", "===", "{")


@dataclass
class Imported:
    """The pages and files brought in (content paths), and what the editor must know about them."""

    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def import_docs(source: MkDocsSource, lang: str) -> Imported:
    """Read every page and picture of the docs folder into content/<lang>/."""
    found = _files(source.docs)
    names = new_names(found)
    result = Imported()
    for rel in found:
        if names.get(rel) is None:
            result.left_out.append(rel)
        elif rel.endswith(PAGE_SUFFIXES):
            text = (source.docs / rel).read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")
            result.pages[f"{lang}/{names[rel]}"] = convert_page(text, rel, names, source, result.notes)
        else:
            result.files[f"{lang}/{names[rel]}"] = (source.docs / rel).read_bytes()
    titles = {posixpath.dirname(new): source.section_titles[posixpath.dirname(old)]
              for old, new in names.items() if new and posixpath.dirname(old) in source.section_titles}
    for folder in sorted(_folders_without_index(names)):
        result.pages[f"{lang}/{folder}/index.md"] = topic_index(folder, titles.get(folder))
        result.notes.append(f"{folder}/index.md: new, to introduce the topic (every folder of pages needs one)")
    return result


def _files(docs: Path) -> list[str]:
    """Return the docs folder's files, docs-relative; hidden files and folders are not content."""
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")
                  if p.is_file() and not p.is_symlink() and not any(part.startswith(".") for part in p.relative_to(docs).parts))


def new_names(found: list[str]) -> dict[str, str | None]:
    """Return {docs path: its name in the content folder, or None to leave it out}.

    Names become web-address safe (lowercase, hyphens), pages end in .md, a README.md is its
    folder's index.md when the folder has none (as MkDocs reads it), and no two files share a name.
    """
    names: dict[str, str | None] = {}
    taken: set[str] = set()
    for rel in sorted(found, key=lambda r: (not r.lower().endswith("index.md"), r)):  # index.md keeps its name
        folder, name = posixpath.split(rel)
        stem, suffix = posixpath.splitext(name)
        if suffix.lower() in PAGE_SUFFIXES:
            suffix, stem = ".md", "index" if stem.lower() == "readme" and f"{folder}/index.md".lstrip("/") not in found else stem
        elif suffix.lower() not in TYPES:
            names[rel] = None
            continue
        parts = [_safe(part) for part in folder.split("/") if part] + [_safe(stem)]
        new = _unique("/".join(parts), suffix.lower(), taken)
        names[rel] = new
    return names


def _safe(part: str) -> str:
    """A name check_names accepts. Unlike the renaming it suggests (model._safe_name), "_" is kept:
    the page keeps the address MkDocs gave it (bone_pain.md -> bone_pain/), so old links still work."""
    return re.sub(r"[^a-z0-9_]+", "-", part.lower()).strip("-_") or "page"


def _unique(stem: str, suffix: str, taken: set[str]) -> str:
    candidate, number = stem + suffix, 2
    while candidate in taken:
        candidate, number = f"{stem}-{number}{suffix}", number + 1
    taken.add(candidate)
    return candidate


def _folders_without_index(names: dict[str, str | None]) -> set[str]:
    pages = [new for new in names.values() if new and new.endswith(".md")]
    folders = {posixpath.dirname(page) for page in pages}
    return {folder for folder in folders if folder and f"{folder}/index.md" not in pages}


def convert_page(text: str, rel: str, names: dict, source: MkDocsSource, notes: list[str]) -> str:
    """Return the page with sitegen front matter; add to notes what the editor must check."""
    new = names[rel]
    meta, body = _split(text, new, notes)
    kept = {key: block for key, block in meta.items() if key in ALLOWED_KEYS}
    dropped = sorted(set(meta) - set(kept))
    if dropped:
        notes.append(f"{new}: front matter MkDocs uses, left out: {', '.join(dropped)}")
    title_line = _title(kept.pop("title", None), body, source.nav_titles.get(rel), new, notes)
    lines = [title_line]
    if "description" not in kept:
        lines.append(f"description: {quoted(_description(body))}")
    order = source.nav_order.get(rel)
    if order is not None and not new.endswith("index.md") and "order" not in kept:
        lines.append(f"order: {order}")
    lines += [block for key, block in kept.items()]
    if "sources" not in kept:
        lines.append(SOURCES_TODO)
    head = "---\n" + "\n".join(lines) + "\n---\n"
    for line in other_top_headings(body):
        notes.append(f"{new}:{head.count(chr(10)) + line}: a second top-level heading: make it ## (the build stops at it)")
    return head + rewrite_links(body, rel, names)


def other_top_headings(body: str) -> list[int]:
    """Return the body lines (from 1) of top-level headings after the page's first line, outside code blocks."""
    heading = leading_title(body)
    lines = (heading.remove(body) if heading else body).split("\n")
    found, fence = [], None
    for number, line in enumerate(lines, start=1):
        marker = re.match(r" {0,3}(```|~~~)", line)
        if marker:
            fence = None if fence == marker.group(1) else fence or marker.group(1)
        elif fence is None and re.match(r" {0,3}#[ \t]+\S", line):
            found.append(number)
    return found


def _split(text: str, new: str, notes: list[str]) -> tuple[dict[str, str], str]:
    """Return {key: its lines as written} of the front matter, and the body."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return {}, text
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in ("---", "...")), None)
    if end is None:
        return {}, text
    blocks: dict[str, str] = {}
    try:
        data = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        notes.append(f"{new}: its front matter could not be read, and was left out")
        return {}, "\n".join(lines[end + 1:])
    key = None
    for line in lines[1:end]:
        match = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        key = match.group(1) if match else key
        if key is not None:
            blocks[key] = (blocks[key] + "\n" + line) if key in blocks else line
    return blocks, "\n".join(lines[end + 1:])


def _title(block: str | None, body: str, nav_title: str | None, new: str, notes: list[str]) -> str:
    """Return the title: line: the page's `# Title` first, as readers see it; then front matter, nav, file name."""
    heading = leading_title(body)
    written = _value(block, "title")
    if heading:
        if written and not same_title(str(written), heading.text):
            notes.append(f'{new}: its title "{written}" differs from its heading; the heading "{heading.text}" is the title')
        return f"title: {quoted(heading.text)}"
    if block and written:
        return block
    if nav_title:
        return f"title: {quoted(nav_title)}"
    stem = posixpath.splitext(posixpath.basename(new))[0]
    guess = stem.replace("-", " ").replace("_", " ").capitalize()
    return f"title: {quoted('TODO: check this title, made from the file name: ' + guess)}"


def _value(block: str | None, key: str):
    """Return the value of one front matter block, or None when it has none or cannot be read."""
    try:
        data = yaml.safe_load(block) if block else None
    except yaml.YAMLError:
        return None
    return data.get(key) if isinstance(data, dict) else None


def _description(body: str) -> str:
    """Return the page's first sentence, marked for the editor to check, or a TODO to write one."""
    heading = leading_title(body)
    rest = heading.remove(body) if heading else body
    for block in re.split(r"\n[ \t]*\n", rest):
        block = block.strip()
        if not block:
            continue
        if block.startswith(_NOT_PROSE) or re.match(r"\d+[.)]\s", block):
            continue
        sentence = re.split(r"(?<=[.!?])\s+", _plain(block))[0]
        if 3 <= len(sentence.split()) <= 40:
            return f"TODO: check this description, the page's first sentence: {sentence}"
        break
    return "TODO: one sentence that says what this page covers"


def _plain(block: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", block)  # links and pictures: their words
    text = re.sub(r"<[^>]+>|[*_`]", "", text)
    return " ".join(text.split())


def rewrite_links(body: str, rel: str, names: dict) -> str:
    """Point links and pictures at the files' new names; a link to a folder goes to its index.md."""
    folders = {posixpath.dirname(old): posixpath.dirname(new) for old, new in names.items() if new and new.endswith(".md")}

    def target(match: re.Match) -> str:
        return match.group(1) + _new_target(match.group(2), rel, names, folders)

    return _REFERENCE.sub(target, _LINK.sub(target, body))


def _new_target(address: str, rel: str, names: dict, folders: dict[str, str]) -> str:
    if "://" in address or address.startswith(("#", "/", "mailto:", "tel:")):
        return address
    path, hash_, fragment = address.partition("#")
    if not path:
        return address
    old = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(path)))
    old = "" if old == "." else old
    new = names.get(old)
    if new is None and old in folders:  # a folder of pages: its index page (made if it had none)
        new = posixpath.join(folders[old], "index.md")
    if new is None:
        return address  # outside the docs, or a file left out: the build names the link if it goes nowhere
    here = posixpath.dirname(names[rel])
    return posixpath.relpath(new, here or ".") + hash_ + fragment


def topic_index(folder: str, section_title: str | None) -> str:
    """Return a new index.md for a folder of pages that has none (every topic needs one), titled as its nav section."""
    title = section_title or \
        "TODO: check this title, made from the folder name: " + folder.rsplit("/", 1)[-1].replace("-", " ").capitalize()
    return ("---\n" + f"title: {quoted(title)}\n"
            + 'description: "TODO: one sentence that says what this part of the site covers"\n'
            + SOURCES_TODO + "\n---\n" + TOPIC_BODY)
