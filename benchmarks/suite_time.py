"""How long do the set-up and `make test` take on this machine?

    .venv/bin/python benchmarks/suite_time.py            # 3 runs of each
    .venv/bin/python benchmarks/suite_time.py --runs 5
    .venv/bin/python benchmarks/suite_time.py --write-costs   # and rewrite benchmarks/file_seconds.json

Clones this checkout (its committed state) into a temporary folder, then times, as a learner
runs them there: `make venv` with nothing set up yet (uv's download cache is kept, as on any
machine that installed once), and `make test`, each `--runs` times. Prints a Markdown table of
the minimum, median and maximum wall-clock seconds, with the machine's core count, so that the
README need not carry numbers that change from run to run and machine to machine. Timings are
never part of `make test`.

With --write-costs, each `make test` also writes a JUnit XML report, and the median over the runs
of each file's seconds (its items' setup, call and teardown added up) goes into
benchmarks/file_seconds.json, which conftest.py reads to start the longest files first.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COSTS = ROOT / "benchmarks" / "file_seconds.json"


def timed(command, cwd):
    """Wall-clock seconds of one run of `command`; stops the script if it fails."""
    start = time.monotonic()
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed in {cwd}:\n{result.stderr[-2000:]}")
    return time.monotonic() - start


def file_seconds(junit_xml):
    """{file: seconds} from a JUnit XML report in the xunit1 family, which names each item's file."""
    seconds = defaultdict(float)
    for case in ET.parse(junit_xml).iter("testcase"):
        seconds[case.get("file")] += float(case.get("time"))
    return seconds


def write_costs(runs):
    """benchmarks/file_seconds.json: each file's median seconds over `runs` ({file: seconds} each)."""
    names = sorted(set().union(*runs))
    seconds = {name: round(statistics.median(run.get(name, 0.0) for run in runs), 1) for name in names}
    seconds = dict(sorted(seconds.items(), key=lambda item: -item[1]))
    note = (f"Each file's seconds in `make test` on "
            f"{os.cpu_count()} cores (its items' setup, call and teardown added up), the median of {len(runs)} runs. "
            "benchmarks/suite_time.py --write-costs rewrites it; conftest.py starts the longest first.")
    COSTS.write_text(json.dumps({"note": note, "seconds": seconds}, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {COSTS.relative_to(ROOT)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write-costs", action="store_true",
                        help="also rewrite benchmarks/file_seconds.json from the runs' per-file seconds")
    args = parser.parse_args(argv)
    rows = {"make venv (fresh clone)": [], "make test": []}
    costs = []
    with tempfile.TemporaryDirectory(prefix="rnn-suite-time-") as tmp:
        for run in range(args.runs):
            clone = Path(tmp) / f"clone{run}"
            subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
            rows["make venv (fresh clone)"].append(timed(["make", "venv"], clone))
            junit = Path(tmp) / f"junit{run}.xml"
            report = [f"PYTEST_ARGS=--junitxml={junit} -o junit_family=xunit1"] if args.write_costs else []
            rows["make test"].append(timed(["make", "test", *report], clone))
            if args.write_costs:
                costs.append(file_seconds(junit))
            print(f"run {run + 1}: " + ", ".join(f"{name} {times[-1]:.0f} s" for name, times in rows.items()),
                  flush=True)
    print(f"\n{os.cpu_count()} cores, {args.runs} runs\n")
    print("| command | min | median | max |\n|---|---|---|---|")
    for name, times in rows.items():
        print(f"| {name} | {min(times):.0f} s | {statistics.median(times):.0f} s | {max(times):.0f} s |")
    if args.write_costs:
        write_costs(costs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
