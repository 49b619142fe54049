"""The `theme` command: list the default theme's files, and copy one into the site's templates/ to change it.

A site changes its look by keeping its own copy of a file of the default theme in templates/
(beside the content folder); the build then uses that copy instead (theme.py). The copy is made
only where no file is: this command never writes over one.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .diagnostics import display_path
from .theme import SITE_TEMPLATES, default_theme_dir


def add_theme_command(commands, add_content_options) -> None:
    """Register `theme` with the command line's subcommands."""
    p = commands.add_parser("theme", help="list the design's files; --copy one into templates/ to change it",
                            description="List the files of the default theme (templates, interface strings, static "
                                        "files) and which of them the site overrides in its own templates/ folder.")
    add_content_options(p)
    p.add_argument("--copy", nargs="+", metavar="FILE", default=[],
                   help="copy these files of the default theme into the site's templates/, e.g. page.html static/site.css")
    p.set_defaults(run=run_theme)


def run_theme(args) -> int:
    """List the theme, or copy files of it; 2 for a file the theme does not have or one already copied."""
    default = default_theme_dir()
    own = args.templates.own if args.templates.own != default else Path(args.content).parent / SITE_TEMPLATES
    if args.copy:
        return copy_files(args.copy, default, own)
    print(f"The default theme is in {default}/. Files in {display_path(own)}/ are used instead of the same file there:")
    for rel in sorted(args.templates.files()):
        if not rel.startswith("."):
            mark = "  (the site's own copy)" if (own / rel).is_file() else ""
            print(f"  {rel}{mark}")
    print("To change one, copy it first: sitegen theme --copy page.html")
    return 0


def copy_files(names: list[str], default: Path, own: Path) -> int:
    problems = [_refusal(name, default, own) for name in names]
    problems = [p for p in problems if p]
    if problems:
        print("\n".join(problems) + "\n  hint: Nothing was copied. Run sitegen theme to list the files.", file=sys.stderr)
        return 2
    for name in names:
        target = own / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(default / name, target)
        print(f"Copied {name} to {display_path(target)}: the site now uses that copy; change it there.")
    return 0


def _refusal(name: str, default: Path, own: Path) -> str | None:
    source = (default / name).resolve()
    if ".." in Path(name).parts or Path(name).is_absolute() or not source.is_file() or not source.is_relative_to(default.resolve()):
        return f'error: the default theme has no file "{name}"'
    if (own / name).exists() or (own / name).is_symlink():
        return f"error: {display_path(own / name)} is already there; it was left as it is"
    return None
