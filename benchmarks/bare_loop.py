"""The baseline: a bare jinja2 + Python-Markdown loop over a content folder.

python benchmarks/bare_loop.py --content DIR --out DIR [--jobs N]

It does the least a static generator must do for each page (read, split the front matter,
convert the Markdown with our extensions, fill one template, write the file) and nothing
else: no checks, no link rewriting, no sitemap. Our build is measured against it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from pathlib import Path

import jinja2
import markdown
import yaml
from markupsafe import Markup

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import MARKDOWN_EXTENSIONS  # noqa: E402  (the same extensions as our renderer)

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ meta.title }}</title>
<meta name="description" content="{{ meta.description }}"></head>
<body><main><h1>{{ meta.title }}</h1>
<ul>{% for point in meta.key_points or [] %}<li>{{ point }}</li>{% endfor %}</ul>
{{ body }}
<ul>{% for s in meta.sources %}<li><a href="{{ s.url }}">{{ s.title }}</a>, {{ s.publisher }}</li>{% endfor %}</ul>
</main></body></html>
"""

_worker = {}


def converter() -> markdown.Markdown:
    """Return a Markdown converter with the extensions and settings our renderer uses."""
    names = [e if isinstance(e, str) else next(iter(e)) for e in MARKDOWN_EXTENSIONS]
    configs = {k: v for e in MARKDOWN_EXTENSIONS if isinstance(e, dict) for k, v in e.items()}
    return markdown.Markdown(extensions=names, extension_configs=configs, output_format="html")


def start_worker(out_dir: Path) -> None:
    """Make this process's converter and template once."""
    env = jinja2.Environment(autoescape=True)
    _worker.update(md=converter(), template=env.from_string(TEMPLATE), out=out_dir)


def build_page(job: tuple[str, str]) -> int:
    """Render one page file to out/<path>/index.html and return its size."""
    path, rel = job
    text = Path(path).read_text(encoding="utf-8")
    _, meta_text, body = text.split("---\n", 2)
    meta = yaml.load(meta_text, Loader=Loader)
    md = _worker["md"]
    md.reset()
    html = _worker["template"].render(meta=meta, body=Markup(md.convert(body)))
    stem = rel[:-3]
    target = _worker["out"] / (stem[:-len("index")] if stem.endswith("index") else stem + "/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return len(html)


def jobs_for(content: Path) -> list[tuple[str, str]]:
    """Return (file, path below en/) for every English page, in a stable order."""
    root = content / "en"
    return [(str(p), p.relative_to(root).as_posix()) for p in sorted(root.rglob("*.md"))]


def run(content: Path, out: Path, processes: int) -> int:
    """Build every page with the given number of processes; return the page count."""
    jobs = jobs_for(content)
    if processes == 1:
        start_worker(out)
        for job in jobs:
            build_page(job)
    else:
        with multiprocessing.Pool(processes, initializer=start_worker, initargs=(out,)) as pool:
            for _ in pool.imap_unordered(build_page, jobs, chunksize=16):
                pass
    return len(jobs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    args = parser.parse_args(argv)
    count = run(args.content, args.out, args.jobs)
    print(f"bare loop: {count} pages with {args.jobs} process{'es' * (args.jobs != 1)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
