"""Show a check run as JSON, for CI and other programs."""

from __future__ import annotations

import json
from dataclasses import asdict

from ..diagnostics import ERROR, WARNING, Diagnostic
from .pemat import A, U
from .results import CheckRun, PageResult


def format_json(run: CheckRun) -> str:
    """Return the run as a JSON document (one object; pages in menu order)."""
    data = {
        "content": run.content,
        "today": run.today.isoformat(),
        "strict": run.strict,
        "passed": not run.failed,
        "errors": run.count(ERROR),
        "warnings": run.count(WARNING),
        "site_problems": [problem(d) for d in run.site_problems],
        "pages": [page(p) for p in run.pages],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def page(result: PageResult) -> dict:
    reading = result.reading
    return {
        "path": result.path,
        "rel": result.rel,
        "title": result.title,
        "loaded": result.loaded,
        "reading": {
            "lang": reading.lang,
            **reading.figures,
            "targets": reading.targets,
            "boxes": reading.boxes,
            "hardest": [asdict(h) for h in reading.hardest],
        } if reading else None,
        "jargon": result.jargon,
        "pemat": {
            "understandability": score(result, U),
            "actionability": score(result, A),
            "items": [asdict(item) for item in result.items],
        },
        "review": result.review,
        "errors": result.count(ERROR),
        "warnings": result.count(WARNING),
        "problems": [problem(d) for d in sorted(result.problems, key=Diagnostic.sort_key)],
    }


def score(result: PageResult, group: str) -> dict:
    passed, applied = result.score(group)
    return {"passed": passed, "applicable": applied, "percent": round(100 * passed / applied) if applied else None}


def problem(d: Diagnostic) -> dict:
    return {"path": d.path, "line": d.line, "severity": d.severity, "code": d.code, "message": d.message, "hint": d.hint}
