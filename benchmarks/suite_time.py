"""How long do the set-up and `make test` take on this machine?

    .venv/bin/python benchmarks/suite_time.py            # 3 runs of each
    .venv/bin/python benchmarks/suite_time.py --runs 5

Clones this checkout (its committed state) into a temporary folder, then times, as a learner
runs them there: `make venv` with nothing set up yet (uv's download cache is kept, as on any
machine that installed once), and `make test`, each `--runs` times. Prints a Markdown table of
the minimum, median and maximum wall-clock seconds, with the machine's core count, so that the
README need not carry numbers that change from run to run and machine to machine. Timings are
never part of `make test`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command, cwd):
    """Wall-clock seconds of one run of `command`; stops the script if it fails."""
    start = time.monotonic()
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed in {cwd}:\n{result.stderr[-2000:]}")
    return time.monotonic() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    rows = {"make venv (fresh clone)": [], "make test": []}
    with tempfile.TemporaryDirectory(prefix="rnn-suite-time-") as tmp:
        for run in range(args.runs):
            clone = Path(tmp) / f"clone{run}"
            subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
            rows["make venv (fresh clone)"].append(timed(["make", "venv"], clone))
            rows["make test"].append(timed(["make", "test"], clone))
            print(f"run {run + 1}: " + ", ".join(f"{name} {times[-1]:.0f} s" for name, times in rows.items()),
                  flush=True)
    print(f"\n{os.cpu_count()} cores, {args.runs} runs\n")
    print("| command | min | median | max |\n|---|---|---|---|")
    for name, times in rows.items():
        print(f"| {name} | {min(times):.0f} s | {statistics.median(times):.0f} s | {max(times):.0f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
