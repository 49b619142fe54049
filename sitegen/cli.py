"""The command line: python build.py [build|check|serve|new|init|...] ..."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from .checks.command import add_check_command
from .diagnostics import OutputError, Report, display_path, plural, print_diagnostics
from .newpage import add_new_command
from .importcmd import add_import_command
from .newsite import add_init_command
from .themecmd import add_theme_command
from .parallel import default_workers
from .progress import Progress
from .pipeline import DEFAULT_CACHE, BuildOptions, build, guarded
from .theme import site_theme
from .today import source_date_epoch


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit status: 0 done, 1 content errors, 2 wrong usage or output."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")  # plain `python build.py` builds
    args = parser().parse_args(argv)
    try:
        resolve_paths(args)
    except (RuntimeError, OSError) as exc:  # a loop of links (RuntimeError before Python 3.13)
        print(f"error: {exc}\n  hint: One of the paths given leads round a loop of links: give the folder "
              "itself. Nothing was written.", file=sys.stderr)
        return 2
    if hasattr(args, "templates"):
        if args.templates is not None and not args.templates.is_dir():
            print(f"error: the templates folder {display_path(args.templates)} does not exist\n"
                  "  hint: Give --templates a folder of templates, or leave it out to use templates/ beside "
                  "the content folder, else the default theme.", file=sys.stderr)
            return 2
        args.templates = site_theme(args.templates, args.content)
    try:
        source_date_epoch()  # checked before any command: it decides "today"
    except ValueError as exc:
        print(f"error: {exc}\n  hint: Set it to a whole number of seconds, e.g. SOURCE_DATE_EPOCH=$(date +%s), "
              "or unset it to use today's date.", file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except OutputError as exc:  # the place to write is wrong or cannot be written: not a content problem
        print(f"error: {exc}" + (f"\n  hint: {exc.hint}" if exc.hint else ""), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in the generator, not in the content
        if os.environ.get("SITEGEN_DEBUG"):
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc}\n"
              "  This is a bug in the generator, not in your content. Run again with SITEGEN_DEBUG=1 "
              "and send the output to the developers.", file=sys.stderr)
        return 3


def resolve_paths(args) -> None:
    """Resolve every folder and file named on the command line, before anything checks it.

    What is written is the resolved path, and "site/missing/.." resolves to site/; checked as typed
    it would pass for a folder that is not there ("site/missing" is not), and site/ would be replaced.
    """
    for name, value in vars(args).items():
        if isinstance(value, Path):
            setattr(args, name, value.resolve())


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="build.py", description="Build a patient-education site from Markdown.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = commands.add_parser("build", help="build content/ into site/ (the default)")
    add_content_options(b)
    b.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="where to write the site (default site/)")
    b.add_argument("--base-url", metavar="URL", help="the site's public address (overrides site.yml)")
    b.add_argument("--no-handouts", dest="handouts", action="store_false", help="skip the PDF handouts")
    b.add_argument("--no-search", dest="search", action="store_false", help="skip the search index")
    b.add_argument("--jobs", type=int, default=default_workers(), metavar="N",
                   help="processes to render with (default: one per core)")
    b.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, metavar="DIR",
                   help="the build cache: parsed pages, rendered Markdown, handouts and the search index (default .cache/sitegen; safe to delete)")
    b.set_defaults(run=run_build)
    s = commands.add_parser("serve", help="preview the site on this computer; rebuild and reload on every save")
    add_content_options(s)
    s.add_argument("--port", type=int, default=8000, help="the port to listen on (default 8000; 0 picks a free one)")
    s.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1, this computer only)")
    s.add_argument("--handouts", action=argparse.BooleanOptionalAction, default=True,
                   help="build the PDF handouts too, so that their links work and their warnings show (default on)")
    s.set_defaults(run=run_serve)
    add_check_command(commands, add_content_options)
    add_new_command(commands, add_content_options)
    add_init_command(commands)
    add_import_command(commands)
    add_theme_command(commands, add_content_options)
    t = commands.add_parser("translated", help="record that a translated page matches its original now")
    add_content_options(t)
    t.add_argument("page", help="the translated page, for example es/symptoms.md")
    t.set_defaults(run=run_translated)
    a = commands.add_parser("approve", help="record a clinician's review of a page's current text")
    add_content_options(a)
    a.add_argument("page", help="the page, for example en/symptoms.md")
    a.add_argument("--by", required=True, metavar='"NAME, CREDENTIALS"', help='the reviewer, e.g. "Ana Ruiz, MD"')
    a.set_defaults(run=run_approve)
    return top


def add_content_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                   help="the content folder (default content/)")
    # The site's own templates (default: templates/ beside the content folder, when there is one),
    # over the default theme file by file (theme.py). Hidden: a clinic overrides files in templates/.
    p.add_argument("--templates", type=Path, default=None, metavar="DIR", help=argparse.SUPPRESS)


def run_build(args) -> int:
    progress = Progress.for_terminal(sys.stderr)
    options = BuildOptions(args.content, args.out, args.templates, base_url=args.base_url, handouts=args.handouts,
                           search=args.search, cache_dir=args.cache_dir,
                           workers=max(1, args.jobs), progress=progress)
    try:
        result = build(options)
    finally:
        if progress:
            progress.clear()
    print_diagnostics(result.report.items, sys.stderr)
    errors, warnings = len(result.report.errors), len(result.report.warnings)
    if errors or not result.published:
        print(f"Build failed: {plural(errors, 'error')}, {plural(warnings, 'warning')}. "
              f"Nothing was published; {display_path(args.out)}/ is unchanged.", file=sys.stderr)
        return 1
    site = result.site
    langs = ", ".join(site.config.languages)
    print(f"Built {len(site.pages)} pages in {plural(len(site.config.languages), 'language')} "
          f"({langs}), {plural(warnings, 'warning')}, in {result.seconds:.2f} s -> {display_path(args.out)}/")
    return 0


def run_serve(args) -> int:
    from .serve import run  # imported here: only serve needs watchfiles
    return run(args)


def run_translated(args) -> int:
    from .signoff import mark_translated

    value = _signoff(mark_translated, args.content, args.page)
    if value is None:
        return 1
    if args.page.endswith(".yml"):
        print(f"Recorded in content/{args.page}: {value} translate the current version of their originals.")
        return 0
    print(f"Recorded in content/{args.page}: it translates the current version ({value}) of its original page.")
    return 0


def run_approve(args) -> int:
    from .signoff import approve

    name, _, credentials = args.by.partition(",")
    if not name.strip() or not credentials.strip():
        print('error: --by needs the reviewer\'s name and credentials, for example --by "Ana Ruiz, MD"', file=sys.stderr)
        return 2
    value = _signoff(approve, args.content, args.page, name.strip(), credentials.strip())
    if value is None:
        return 1
    print(f"Recorded in content/{args.page}: reviewed today by {name.strip()}, {credentials.strip()} (text {value}).")
    return 0


def _signoff(action, *args):
    """Run a sign-off action; print content errors and return None on failure."""
    report = Report()
    value = guarded(report, action, *args)
    print_diagnostics(report.items, sys.stderr)
    return value


if __name__ == "__main__":  # python -m sitegen.cli, for example under cProfile (build.py exits at once)
    raise SystemExit(main())
