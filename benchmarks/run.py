"""Measure build and check of generated catalogs next to the floors of the same run.

    python benchmarks/run.py 1000 10000 [--stores 3] [--repeat 3] [--work /tmp/onevoice-bench]
                             [--build-only]

For each size it generates a catalog (benchmarks/generate.py), then runs, each in
its own process, `onevoice build` and `onevoice check` with an empty cache, the
re-build and re-check after one changed price (with the cache those filled), and
the floors (benchmarks/floors.py): a bare `mkdocs build` of the same pages, Typst
laying out the same card faces and store lines (each once, as the build does), and a
bare parse of every output. It prints one Markdown table: wall time (median of
--repeat runs), the largest process's peak memory (max RSS, from wait4), files per
channel, and each time as a ratio of its floor. `--build-only` leaves out the check,
the re-check and the parse floor (their columns show "—").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from generate import generate

CACHE_DIR = ".onevoice.cache"  # onevoice.cache.CACHE_DIR, beside the build

HERE = Path(__file__).resolve().parent
AS_OF = "2026-12-01"


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    exit_code: int
    cpu: float
    """User and system CPU seconds of the command and the processes it waited for (its
    workers): less swayed than wall time by other work on a shared machine."""


def measure(command: list[str]) -> Run:
    """Wall time and peak memory of the largest process of one command (workers included)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed:\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode,
               cpu=usage.ru_utime + usage.ru_stime)


def median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs),
               max(r.max_rss_mb for r in runs), runs[-1].exit_code,
               cpu=statistics.median(r.cpu for r in runs))


def step(offers: int, name: str, run: Run) -> Run:
    """Say what one step measured as soon as it is done (a long run may be cut short)."""
    print(f"{offers:,} offers: {name} {run.seconds:.1f} s ({run.cpu:.1f} s CPU), "
          f"max RSS {run.max_rss_mb:.0f} MB",
          file=sys.stderr, flush=True)
    return run


def onevoice(*args: str) -> list[str]:
    return [sys.executable, "-c", "from onevoice.cli import main; main()", *args]


def change_one_price(project: Path) -> None:
    """The editor's daily change: one offer's price up by a cent."""
    path = sorted((project / "content" / "offers").glob("*.md"))[len(os.listdir(
        project / "content" / "offers")) // 2]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("price:")) + 1
    amount = lines[at].split(":", 1)[1].strip()
    lines[at] = f"  amount: {float(amount) + 0.01:.2f}\n"
    path.write_text("".join(lines), encoding="utf-8")


def bench(offers: int, stores: int, repeat: int, work: Path, build_args: list[str],
          build_only: bool = False) -> dict:
    project = generate(offers, work / f"catalog-{offers}", stores)
    out = project / "build"
    build = onevoice("build", "--project", str(project), "--out", str(out), "--as-of", AS_OF,
                     *build_args)
    check = onevoice("check", "--project", str(project), str(out), "--as-of", AS_OF,
                     "--format", "json", "--output", str(work / f"check-{offers}.json"),
                     *build_args)
    result: dict = {"offers": offers}
    cache = project / CACHE_DIR
    runs = []
    for _ in range(repeat):  # full runs: an empty cache, which they fill
        shutil.rmtree(cache, ignore_errors=True)
        runs.append((measure(build), None if build_only else measure(check)))
    result["build"] = step(offers, "build", median([b for b, _ in runs]))
    result["check"] = None if build_only else step(offers, "check",
                                                    median([c for _, c in runs if c]))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    result["files"] = Counter(entry["channel"] for entry in manifest["outputs"].values())
    change_one_price(project)
    result["rebuild"] = step(offers, "re-build", measure(build))
    result["recheck"] = None if build_only else step(offers, "re-check", measure(check))
    floors = [sys.executable, str(HERE / "floors.py")]
    card_data = work / f"cards-{offers}.json"
    subprocess.run([*floors, "card-data", str(out), str(project), str(card_data)], check=True)
    for name, args in (("mkdocs", ["mkdocs", str(out), str(project)]),
                       ("typst", ["cards", str(card_data), str(project)]),
                       ("parse", ["parse", str(out)])):
        if not (build_only and name == "parse"):
            result[name] = step(offers, f"floor {name}",
                                median([measure([*floors, *args]) for _ in range(repeat)]))
    result.setdefault("parse", None)
    return result


def table(results: list[dict]) -> str:
    """One row per catalog size; "÷ floor" is wall time, "CPU ÷" CPU time, each against the
    floors of the same run; max RSS is the largest process's, the floors' in brackets. A
    second table gives the CPU seconds behind the ratios."""
    rows = [
        "| offers | outputs (web/phone/store/email/chat/feed) | build | floor: mkdocs + "
        "Typst | build ÷ floor | CPU ÷ floor CPU | build max RSS (floors: mkdocs / "
        "Typst) | check | floor: parse | check ÷ floor | CPU ÷ floor CPU | check max RSS "
        "(floor) | re-build after one price (max RSS) | re-check |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    cpu_rows = ["| offers | build | floors: mkdocs + Typst | check | floor: parse "
                "| re-build | re-check |", "|---|---|---|---|---|---|---|"]
    for r in results:
        files = r["files"]
        counts = "/".join(str(files.get(c, 0))
                          for c in ("web", "phone", "store", "email", "chat", "feed"))
        build, mkdocs, cards, rebuild = r["build"], r["mkdocs"], r["typst"], r["rebuild"]
        floor = mkdocs.seconds + cards.seconds
        floor_cpu = mkdocs.cpu + cards.cpu
        check, parse, recheck = r["check"], r["parse"], r["recheck"]
        checked = (f"{check.seconds:.1f} s | {parse.seconds:.1f} s "
                   f"| {check.seconds / parse.seconds:.2f}× | {check.cpu / parse.cpu:.2f}× "
                   f"| {check.max_rss_mb:.0f} MB ({parse.max_rss_mb:.0f} MB)"
                   if check and parse else "— | — | — | — | —")
        rows.append(
            f"| {r['offers']:,} | {sum(files.values()):,} ({counts}) "
            f"| {build.seconds:.1f} s | {mkdocs.seconds:.1f} + {cards.seconds:.1f} s "
            f"| {build.seconds / floor:.2f}× | {build.cpu / floor_cpu:.2f}× "
            f"| {build.max_rss_mb:.0f} MB ({mkdocs.max_rss_mb:.0f} / {cards.max_rss_mb:.0f} MB) "
            f"| {checked} | {rebuild.seconds:.1f} s ({rebuild.max_rss_mb:.0f} MB) "
            f"| {f'{recheck.seconds:.1f} s' if recheck else '—'} |"
        )
        cpu_rows.append(
            f"| {r['offers']:,} | {build.cpu:,.1f} s | {mkdocs.cpu:,.1f} + {cards.cpu:,.1f} s "
            f"| {f'{check.cpu:,.1f} s' if check else '—'} "
            f"| {f'{parse.cpu:,.1f} s' if parse else '—'} | {rebuild.cpu:,.1f} s "
            f"| {f'{recheck.cpu:,.1f} s' if recheck else '—'} |")
    return "\n".join(rows) + "\n\nCPU seconds (workers included):\n\n" + "\n".join(cpu_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("offers", type=int, nargs="+")
    parser.add_argument("--stores", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/onevoice-bench"))
    parser.add_argument("--build-arg", action="append", default=[],
                        help="Extra option for build and check, e.g. --build-arg=--jobs=2.")
    parser.add_argument("--build-only", action="store_true",
                        help="Measure the build and its floors only (no check).")
    args = parser.parse_args()
    results = []
    for offers in args.offers:
        results.append(bench(offers, args.stores, args.repeat, args.work, args.build_arg,
                             args.build_only))
        print(table(results[-1:]), file=sys.stderr, flush=True)  # progress, in case of a stop
    print(f"{os.cpu_count()} cores; {args.stores} stores; median of {args.repeat} run(s)\n")
    print(table(results))


if __name__ == "__main__":
    main()
