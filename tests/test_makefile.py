"""make's set-up and clean-up touch only a virtual environment, and plain `make` lists the targets.

Each test runs make in a temporary copy of the checkout, so that a failure here costs a copy, never
this checkout's notebooks or history.
"""

import hashlib
import importlib.util
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# What a fresh clone does not hold, and what a copy need not: environments, built folders, caches.
NOT_COPIED = {".git", ".venv", ".venv-keras-next", "site", "student", "browser-screenshots", "browser-failures",
              "__pycache__", ".pytest_cache", ".ipynb_checkpoints", "build"}
# Folders of the course that a mistyped VENV could name; `.git` is a stand-in made by the fixture.
NOT_ENVIRONMENTS = ["notebooks", "tests", "rnnlib", "tools", ".git", "notebooks/data"]


@pytest.fixture
def checkout(tmp_path):
    copy = tmp_path / "course"
    shutil.copytree(ROOT, copy, ignore=lambda folder, names: [n for n in names if n in NOT_COPIED
                                                              or n.endswith(".egg-info")])
    (copy / ".git").mkdir()
    (copy / ".git" / "HEAD").write_text("ref: refs/heads/main\n")  # a repository's history, as far as make can tell
    return copy


def snapshot(folder):
    """Every file and folder under `folder`, with each file's SHA-256."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        found[key] = "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def make(folder, *arguments):
    return subprocess.run(["make", "--no-print-directory", *arguments, f"PYTHON={sys.executable}"], cwd=folder,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("target", ["clean", "venv"])
@pytest.mark.parametrize("venv", NOT_ENVIRONMENTS)
def test_a_folder_that_is_not_an_environment_is_left_alone(checkout, target, venv):
    before = snapshot(checkout)
    result = make(checkout, target, f"VENV={venv}")
    assert result.returncode != 0
    assert f"VENV={venv} is not a virtual environment (no pyvenv.cfg); nothing was removed" in result.stderr
    assert "removing" not in result.stdout + result.stderr
    assert snapshot(checkout) == before


def test_clean_removes_the_environment_and_only_it(checkout):
    environment = checkout / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(environment)], check=True)
    before = snapshot(checkout)
    result = make(checkout, "clean")
    assert result.returncode == 0, result.stderr
    assert "removing .venv" in result.stdout
    assert not environment.exists()
    assert snapshot(checkout) == {k: v for k, v in before.items() if not k.startswith(".venv")}


def test_a_folder_outside_the_checkout_is_refused(checkout, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "work.txt").write_text("a teacher's file")
    result = make(checkout, "clean", f"VENV={outside}")
    assert result.returncode != 0 and "VENV must be a folder inside this checkout" in result.stderr
    assert (outside / "work.txt").read_text() == "a teacher's file"


def header_table(makefile):
    """The `#   ...` lines at the top of the Makefile (a target's line and its continuation), as `make` prints them."""
    return [line[len("#   "):] for line in makefile.read_text().splitlines() if line.startswith("#   ")]


def test_plain_make_prints_the_table_of_targets(checkout):
    result = make(checkout)
    assert result.returncode == 0, result.stderr
    table = header_table(checkout / "Makefile")
    assert result.stdout.splitlines() == table


def test_the_table_names_every_target_a_user_runs():
    makefile = (ROOT / "Makefile").read_text()
    phony = set(re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split())
    plain, *others = [line for line in header_table(ROOT / "Makefile") if line.startswith("make ")]
    assert plain.split()[:2] == ["make", "print"], "the first line is plain make, which runs the help rule"
    assert {line.split()[1] for line in others} | {"help"} == phony - {"have-python"}
    clean = next(line for line in others if line.startswith("make clean"))
    assert ".venv" in clean and ".venv-keras-next" in clean, "the table says what make clean removes"


def test_an_empty_folder_is_not_refused(checkout):
    """A folder a user made for the environment, still empty, is used as it is: nothing to lose there."""
    (checkout / "env-here").mkdir()
    spec = importlib.util.spec_from_file_location("copied_bootstrap", checkout / "tools" / "bootstrap.py")
    bootstrap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bootstrap)
    bootstrap.refuse_unless_venv("env-here", str(checkout / "env-here"))  # returns: nothing to refuse
    (checkout / "env-here" / "notes.txt").write_text("not empty any more")
    with pytest.raises(SystemExit, match="VENV=env-here is not a virtual environment"):
        bootstrap.refuse_unless_venv("env-here", str(checkout / "env-here"))
