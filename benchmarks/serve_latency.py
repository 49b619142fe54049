"""Measure how soon `serve` shows a saved page, as its own log reports it.

python benchmarks/serve_latency.py [--pages 2000] [--saves 10] [--gap 4]

It writes a corpus (benchmarks/corpus.py), starts `build.py serve` on it, and saves one page again
and again, as an editor would: edits of the text and of the title (the page is shown before the
full rebuild), then of its order in the menu (the whole site is rebuilt first). For each save it
reads the server's line "... (reload sent N ms after the save ...)" and prints the medians. A benchmark, not a test: the figures depend on what else the machine is doing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from bench import EDITED_PAGE  # noqa: E402  (the page the one-page rebuild changes)
from corpus import PAGES_PER_TOPIC, write_corpus  # noqa: E402
LINE = re.compile(r"^rebuilt in (\d+\.\d+) s after .*?: (.*?) \(reload sent (\d+) ms after the save(, the page "
                  r"rendered alone before the rebuild)?\)$")
TITLE = re.compile(r"^title: (.*)$", re.MULTILINE)
ORDER = re.compile(r"^order: (\d+)$", re.MULTILINE)


class Server:
    """`build.py serve` on the corpus, its log read line by line."""

    def __init__(self, corpus: Path, work: Path):
        self.log = work / "serve.log"
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(corpus),
                                      "--port", "0", "--no-handouts"], cwd=work, stdout=self.log.open("w"),
                                     stderr=subprocess.DEVNULL)
        self.seen = 0

    def next_line(self, pattern: str, timeout: float = 900) -> str:
        """Return the next new log line that matches pattern."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.log.read_text(encoding="utf-8").splitlines()
            for index in range(self.seen, len(lines)):
                if re.search(pattern, lines[index]):
                    self.seen = index + 1
                    return lines[index]
            if self.proc.poll() is not None:
                raise SystemExit(f"serve stopped:\n{self.log.read_text(encoding='utf-8')}")
            time.sleep(0.05)
        raise SystemExit(f"serve never logged {pattern!r}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def save(path: Path, change) -> None:
    """Save the page with one change, in one write, as an editor's save."""
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def measure(server: Server, path: Path, changes: list, gap: float) -> list[tuple[float, float, bool]]:
    """Return (ms until the reload, full rebuild seconds, shown early) for each change saved."""
    samples = []
    for change in changes:
        time.sleep(gap)  # let the search index of the last build finish, as between an editor's saves
        save(path, change)
        line = server.next_line(r"^rebuilt in ")
        match = LINE.match(line)
        if not match or match.group(2) != "ok":
            raise SystemExit(f"unexpected log line: {line}")
        samples.append((float(match.group(3)), float(match.group(1)), bool(match.group(4))))
        print(f"  {line}", flush=True)
    return samples


def text_edit(n: int):
    return lambda text: text.split("\nSaved in the preview ")[0] + f"\nSaved in the preview {n}.\n"


def title_edit(n: int):
    """Change the title's last word (titles are quoted in the corpus)."""
    return lambda text: TITLE.sub(lambda m: f'title: {m.group(1).rsplit(" ", 1)[0]} v{n}"', text, count=1)


def order_edit(n: int):
    """Move the page down the menu and back, on alternate saves."""
    return lambda text: ORDER.sub(lambda m: f"order: {int(m.group(1)) + (10 if n % 2 == 0 else -10)}", text, count=1)


def summary(name: str, samples: list[tuple[float, float, bool]]) -> str:
    ms = [s[0] for s in samples]
    early = sum(s[2] for s in samples)
    under = sum(m < 100 for m in ms)
    return (f"- {name}: reload sent {statistics.median(ms):.0f} ms after the save (median; {min(ms):.0f}-{max(ms):.0f}), "
            f"under 100 ms in {under} of {len(ms)}; shown before the full rebuild in {early} of {len(ms)}; "
            f"full rebuild {statistics.median(s[1] for s in samples):.2f} s (median)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--saves", type=int, default=10, help="saves of each kind (default 10)")
    parser.add_argument("--gap", type=float, default=4.0, help="seconds between saves (default 4)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="sitegen-serve-bench-"))
    try:
        topics = max(1, round((args.pages - 2) / PAGES_PER_TOPIC))
        pages = write_corpus(work / "corpus", topics)
        server = Server(work / "corpus", work)
        try:
            print(f"{pages} pages: {server.next_line(r'^built in ')}", flush=True)
            path = work / "corpus" / EDITED_PAGE
            kinds = {"text edits": text_edit, "title edits": title_edit,
                     "order edits (the whole site first)": order_edit}
            results = {name: measure(server, path, [edit(n) for n in range(args.saves)], args.gap)
                       for name, edit in kinds.items()}
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n### serve at {pages} pages\n")
    for name, samples in results.items():
        print(summary(name, samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
