"""The `init` command: sitegen init DIR makes a new site that builds at once.

The site is written into a spare folder beside DIR and moved into place only when every file is
written, so a failure (a full disk) leaves DIR as it was. DIR must be new or empty: init never
writes over, deletes or moves a file it did not write.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from .diagnostics import display_path, plural
from .sitedetails import DetailError, add_detail_options, gather
from .starter import site_files


class TargetError(Exception):
    """The folder to make the site in cannot be used; nothing was written."""


def add_init_command(commands) -> None:
    """Register `init` with the command line's subcommands."""
    p = commands.add_parser("init", help="start a new site in a new or empty folder",
                            description="Make a site that builds at once: site.yml with the clinic's details, a home "
                                        "page, warning signs and their help page, a glossary, a README for editors and "
                                        "a publishing workflow. A detail not given is asked for on a terminal, and "
                                        "otherwise left as a TODO that `check` lists. DIR must be new or empty.")
    p.add_argument("dir", type=Path, metavar="DIR", help="the folder to make the site in (new or empty)")
    add_detail_options(p)
    p.set_defaults(run=run_init)


def run_init(args) -> int:
    """Make the site; 2 when DIR cannot be used or a detail is wrong (nothing is written then)."""
    try:
        check_target(args.dir)
        details = gather(args, input if sys.stdin.isatty() else None)
        write_site(args.dir, site_files(details))
    except (TargetError, DetailError) as exc:
        hint = getattr(exc, "hint", "") or "Give a new folder, or an empty one: init never writes over files."
        print(f"error: {exc}\n  hint: {hint} Nothing was written.", file=sys.stderr)
        return 2
    record_translations(args.dir / "content", details.languages)
    print(f"Created a new site in {display_path(args.dir)}/ ({', '.join(details.languages)}).")
    report_placeholders(args.dir / "content", details.languages)
    print(f"Next: {go_to(args.dir)}sitegen serve to preview it, sitegen check to see what is still to do, "
          "and see README.md there.")
    return 0


def go_to(target: Path) -> str:
    """Return "cd DIR, then " unless DIR is the current folder."""
    return "" if target.absolute() == Path.cwd() else f"cd {display_path(target)}, then "


def check_target(target: Path) -> None:
    """Raise TargetError unless target is a folder that does not exist yet, or an empty one."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise TargetError(f"{display_path(target)} is not a folder")
    if target.is_dir():
        names = sorted(os.listdir(target))
        if names:
            listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            raise TargetError(f"{display_path(target)}/ is not empty (it holds {listed})")
    parent = next((p for p in target.absolute().parents if p.exists()), None)
    if parent is None or not parent.is_dir():
        raise TargetError(f"{display_path(target)} cannot be made: {display_path(parent)} is not a folder")


def write_site(target: Path, files: dict[str, str | bytes]) -> None:
    """Write files into target (new or empty) through a spare folder beside it; raise TargetError if that fails."""
    target.absolute().parent.mkdir(parents=True, exist_ok=True)
    spare = Path(tempfile.mkdtemp(prefix=f".{target.absolute().name}.sitegen-init-", dir=target.absolute().parent))
    try:
        for rel, data in files.items():
            path = spare / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        _move_into(spare, target)
    except OSError as exc:
        raise TargetError(f"cannot write the new site in {display_path(target)}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(spare, ignore_errors=True)  # only what this command wrote; empty after a move


def _move_into(spare: Path, target: Path) -> None:
    if not target.exists():
        os.rename(spare, target)
        spare.mkdir()  # for the cleanup, which removes it again
        return
    for entry in sorted(os.listdir(spare)):  # an empty folder the user made: fill it, keep the folder itself
        os.rename(spare / entry, target / entry)


def record_translations(content: Path, languages: tuple[str, ...]) -> None:
    """Record that the starter's translations match its default-language pages and signs as written."""
    from .signoff import mark_translated  # imported here: it loads the site's settings

    for lang in languages[1:]:
        for path in sorted((content / lang).glob("*.md")) + [content / lang / "warning-signs.yml"]:
            mark_translated(content, path.relative_to(content).as_posix())


def report_placeholders(content: Path, languages: tuple[str, ...]) -> None:
    """Print each TODO still to fill in, with its file and line, as `check` lists them."""
    from .checks.placeholders import placeholder_problems, site_placeholder_problems

    problems = site_placeholder_problems(content, languages)
    for page in sorted(content.rglob("*.md")):
        problems += placeholder_problems(page, display_path(page))
    if not problems:
        print("Every detail is filled in.")
        return
    print(f"Still to fill in ({plural(len(problems), 'TODO')}; sitegen check lists them until they are):")
    for problem in problems:
        print(f"  {problem.where}: {problem.message.split(': ', 1)[-1]}")
