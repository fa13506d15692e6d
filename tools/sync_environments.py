"""Write environment.yml and binder/environment.yml from requirements.lock.

requirements.lock is the one lock: every package, transitive ones included,
pinned exactly. The conda and Binder files list the same pins in their pip
sections, so all three routes install the same versions. `make lock` runs
this after re-resolving the lock; tests/test_environments.py fails when the
three disagree.

    python tools/sync_environments.py          # rewrite both files
    python tools/sync_environments.py --check  # exit 1 if either is stale
"""

import argparse
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
CONDA = ROOT / "environment.yml"
BINDER = ROOT / "binder" / "environment.yml"



def lowest_python():
    """The lowest Python that pyproject.toml allows, e.g. "3.11": conda's interpreter.

    Every version inside the environment comes from the lock; the notebooks'
    stored outputs are made with this Python too.
    """
    out = subprocess.check_output([sys.executable, str(ROOT / "tools" / "bootstrap.py"), "--python-range"], text=True)
    return out.split()[0]


def lock_requirements(path=LOCK):
    """The lock's requirement lines, e.g. "numpy==2.2.6" or "colorama==0.4.6 ; sys_platform == 'win32'"."""
    lines = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def render(requirements, *, name, header, editable):
    pins = "\n".join(f'      - "{r}"' for r in requirements)
    local = '\n      - "-e ."  # rnnlib itself, from this checkout' if editable else ""
    return f"""{header}
name: {name}
channels:
  - conda-forge
dependencies:
  # Only the interpreter and pip come from conda; every package is pip's,
  # pinned exactly as in requirements.lock (markers pick tensorflow-cpu on
  # Linux x86_64 and tensorflow elsewhere).
  - python={lowest_python()}
  - pip
  - pip:
{pins}{local}
"""


def expected_files():
    reqs = lock_requirements()
    note = "# Generated from requirements.lock by tools/sync_environments.py (make lock); do not edit."
    return {
        CONDA: render(
            reqs,
            name="rnn-math",
            header=note + "\n# conda env create -f environment.yml && conda activate rnn-math",
            editable=True,
        ),
        BINDER: render(
            reqs,
            name="rnn-math-binder",
            header=note + "\n# Binder builds this before the repository is copied in, so it has no\n"
            "# local paths; binder/postBuild installs rnnlib afterwards.",
            editable=False,
        ),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, text in expected_files().items():
        if not path.exists() or path.read_text() != text:
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.parent.mkdir(exist_ok=True)
                path.write_text(text)
    if args.check and stale:
        print("out of date with requirements.lock:", ", ".join(map(str, stale)), "- run make lock")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
