"""The `check` command: python build.py check [--content DIR] [--format table|json] [--strict] [--report FILE]."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..diagnostics import display_path


def add_check_command(commands, add_content_options) -> None:
    """Register `check` with the command line's subcommands."""
    c = commands.add_parser("check", help="check the content for editors (reading level, jargon, PEMAT, links, reviews)",
                            description="Check every page without writing the site. Exit status 0 when there are no "
                                        "errors (and, with --strict, no warnings); 1 otherwise.")
    add_content_options(c)
    c.add_argument("--format", choices=("table", "json"), default="table", help="table for people (default), json for programs")
    c.add_argument("--strict", action="store_true", help="count warnings as errors (for CI)")
    c.add_argument("--report", type=Path, metavar="FILE.html", help="also write the report as a web page editors can open")
    c.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Run the checks, print the report and return the exit status."""
    # Imported here, not at the top: every `build` imports this module to register the command.
    from ..folders import check_report_file
    from .htmlreport import write_report
    from .jsonout import format_json
    from .run import run_checks
    from .table import format_text

    if args.report:  # refused before the checks run, not after
        check_report_file(args.report, args.content, args.templates)
    run = run_checks(args.content, args.templates, strict=args.strict)
    print(format_json(run) if args.format == "json" else format_text(run))
    if args.report:
        write_report(run, args.report, args.templates)
        if args.format == "table":
            print(f"Report written to {display_path(args.report)}")
    return 1 if run.failed else 0
