"""The `import` command: sitegen import SOURCE DIR makes a new site from a folder of MkDocs pages.

DIR gets what `init` makes (settings, help page, glossary, warning signs, README, workflow), with
the pages and pictures of SOURCE in its default language folder. The source is only read; DIR must
be new or empty. The site builds at once; what the editor must still fill in (each page's
description and sources) is printed, and `check` lists it until it is done.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .diagnostics import display_path, plural
from .importpages import import_docs
from .mkdocs_source import SourceProblem, read_source
from .newsite import TargetError, check_target, go_to, record_translations, report_placeholders, write_site
from .sitedetails import DetailError, add_detail_options, gather
from .starter import site_files


def add_import_command(commands) -> None:
    """Register `import` with the command line's subcommands."""
    p = commands.add_parser("import", help="start a new site from a folder of MkDocs pages",
                            description="Make a new site in DIR, as init does, with the pages and pictures of an MkDocs "
                                        "project (SOURCE, with mkdocs.yml, or its docs folder). Titles come from each "
                                        "page's # Title, the order from the nav; descriptions and sources are left as "
                                        "TODOs that check lists. SOURCE is only read; DIR must be new or empty.")
    p.add_argument("source", type=Path, metavar="SOURCE", help="the MkDocs project (with mkdocs.yml) or its docs folder")
    p.add_argument("dir", type=Path, metavar="DIR", help="the folder to make the site in (new or empty)")
    add_detail_options(p)
    p.set_defaults(run=run_import)


def run_import(args) -> int:
    """Make the site from the pages; 2 when SOURCE cannot be read or DIR cannot be used (nothing written then)."""
    try:
        source = read_source(args.source)
        check_target(args.dir)
        _details_from_mkdocs(args, source)
        details = gather(args, input if sys.stdin.isatty() else None)
        imported = import_docs(source, details.languages[0])
        if not imported.pages:
            raise SourceProblem(f"{display_path(source.docs)} holds no Markdown pages", "Give the folder the .md files are in.")
        files = site_files(details, imported.pages)
        files.update((f"content/{rel}", data) for rel, data in imported.files.items())
        write_site(args.dir, files)
    except (SourceProblem, TargetError, DetailError) as exc:
        hint = getattr(exc, "hint", "") or "Give a new folder, or an empty one: import never writes over files."
        print(f"error: {exc}\n  hint: {hint} Nothing was written.", file=sys.stderr)
        return 2
    record_translations(args.dir / "content", details.languages)
    _report(args, source, imported, details)
    return 0


def _details_from_mkdocs(args, source) -> None:
    """The site's name and address in mkdocs.yml stand for --title and --base-url when those are not given."""
    if not args.title and source.site_name:
        args.title = [source.site_name]
    if args.base_url is None and source.site_url:
        args.base_url = source.site_url


def _report(args, source, imported, details) -> None:
    lang = details.languages[0]
    print(f"Brought {plural(len(imported.pages), 'page')} and {plural(len(imported.files), 'other file')} from {display_path(source.docs)}/ "
          f"into {display_path(args.dir / 'content' / lang)}/.")
    for note in imported.notes:
        print(f"  {lang}/{note}")
    if imported.left_out:
        print(f"Left out, as files a page cannot hold or show: {', '.join(imported.left_out)}")
    report_placeholders(args.dir / "content", details.languages)
    print(f"Next: {go_to(args.dir)}sitegen build, and sitegen check to see what is still to do.")
