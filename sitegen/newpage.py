"""The `new` command: python build.py new en/pain.md "Pain relief" starts a page editors fill in.

The page is written so that the build refuses it until the editor has filled in the required
fields (description, sources): a half-written page can never reach patients. Comments in the
front matter say what each field needs, and `check` lists what is still missing.
"""

from __future__ import annotations

import json
import posixpath
import sys
from pathlib import Path

from .config import load_config
from .diagnostics import ContentError, ContentErrors, display_path
from .fields import whole_number
from .folders import inside
from .frontmatter import split_front_matter
from .model import SAFE_NAME
from .sources import read_text
from .yamltext import YamlProblem, parse_mapping

FRONT_MATTER = """\
---
title: {title}
# TODO: write one sentence after "description:" that says what this page covers.
# Search results and link previews show it.
description:
{order}# TODO: write 3 to 5 short sentences that sum up the page, one per line, each starting with "  - ".
# They are shown first, in a box. Keep them very simple (reading grade 6).
key_points:
# TODO: list at least one source the facts come from, for example:
#   - title: The name of the leaflet or web page
#     publisher: Who published it
#     url: https://www.example.org/the-page
sources:
# When a clinician has reviewed the page, add reviewed: and reviewers: (see EDITING.md).
# The box at the end shows warning signs as care cards: after "!!! signs", put the ids of the
# signs, groups or levels of warning-signs.yml this page is about, or delete the section.
---
"""

BODY = """
TODO: In one or two sentences, say who this page is for and what it covers.

## TODO: What is it? (write the reader's question as the heading)

TODO: Answer the question in short sentences. Explain each medical word in brackets where it
first appears, for example: a biopsy (taking a small piece of tissue to check it).

## TODO: What can you do? (another question your readers ask)

TODO: Tell the reader what to do. Start the sentence with a verb, for example "Ask your care team ...".

## When should you get help?

!!! signs TODO
"""


class UsageError(Exception):
    """The command was given a path that cannot be a page."""


def add_new_command(commands, add_content_options) -> None:
    """Register `new` with the command line's subcommands."""
    n = commands.add_parser("new", help='start a new page, e.g. new en/pain.md "Pain relief"',
                            description="Create a page with its front matter filled in where it can be, and a comment "
                                        "on each field still to fill. It refuses to overwrite a page.")
    add_content_options(n)
    n.add_argument("path", help="the page to create, inside the content folder, e.g. en/pain.md")
    n.add_argument("title", help="the page title, in quotes")
    n.set_defaults(run=run_new)


def run_new(args) -> int:
    """Create the page and say what to do next; 1 if it exists, 2 for a path that cannot be a page."""
    try:
        rel = page_path(args.path, args.title, languages(args.content))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    target = args.content / rel
    if not inside(target, args.content):
        print(f"error: {display_path(target)} leads outside the content folder, through a link; nothing was written.\n"
              "  hint: Create the page in a folder of the content folder itself, not in a link to another place.",
              file=sys.stderr)
        return 2
    if target.exists():
        print(f"error: {display_path(target)} already exists; nothing was changed.\n"
              "  hint: Choose another file name, or edit the page that is there.", file=sys.stderr)
        return 1
    new_folder = not (target.parent / "index.md").exists() and target.name != "index.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page_text(args.title, next_order(target)), encoding="utf-8")
    print(f"Created {display_path(target)}.")
    if new_folder:
        topic = posixpath.dirname(rel)
        print(f"The folder {display_path(target.parent)}/ has no index.md yet. Every folder needs one, to introduce "
              f'its topic: python build.py new {topic}/index.md "Topic title"')
    print("Next: fill in each line marked TODO, then run: python build.py check")
    return 0


def languages(content_dir: Path) -> tuple[str, ...]:
    """Return the site's languages from site.yml."""
    try:
        return load_config(content_dir).languages
    except (ContentError, ContentErrors):
        raise UsageError(f"cannot read the site settings in {display_path(content_dir / 'site.yml')}; "
                         "run python build.py check to see why") from None


def page_path(path: str, title: str, langs: tuple[str, ...]) -> str:
    """Return the page's path inside the content folder, or raise UsageError saying what is wrong."""
    rel = posixpath.normpath(path.replace("\\", "/"))
    parts = rel.split("/")
    if not title.strip():
        raise UsageError('give the page a title, in quotes: python build.py new en/pain.md "Pain relief"')
    if rel.startswith("/") or parts[0] == "..":
        raise UsageError(f'"{path}" leads outside the content folder: give the path inside it, for example en/pain.md')
    if not rel.endswith(".md") or len(parts) < 2:
        raise UsageError(f'"{path}" is not a page path: give the language folder and a file name ending in .md, '
                         "for example en/pain.md")
    if parts[0] not in langs:
        raise UsageError(f'"{parts[0]}" is not one of the site\'s languages ({", ".join(langs)}); '
                         f"start the path with one of them, for example {langs[0]}/{parts[-1]}")
    bad = [part for part in parts[1:-1] + [parts[-1][:-3]] if not SAFE_NAME.match(part)]
    if bad:
        raise UsageError(f'"{bad[0]}" cannot be part of a web address: use lowercase letters, digits and hyphens')
    return rel


def page_text(title: str, order: int | None) -> str:
    """Return the new page: front matter with guidance, then a short body to replace."""
    order_line = f"order: {order}\n" if order is not None else ""
    return FRONT_MATTER.format(title=json.dumps(title.strip(), ensure_ascii=False), order=order_line) + BODY


def next_order(target: Path) -> int | None:
    """Return the order after the last page of the topic (None for an index page, which comes first)."""
    if target.name == "index.md":
        return None
    orders = [_order(path) for path in target.parent.glob("*.md")]
    return max([o for o in orders if o is not None], default=0) + 1


def _order(path: Path) -> int | None:
    """Return a page's order field, or None when it has none or cannot be read."""
    try:
        split = split_front_matter(read_text(path), display_path(path))
        order = parse_mapping(split.meta_text).data.get("order")
    except (ContentError, YamlProblem, OSError):
        return None
    return whole_number(order)
