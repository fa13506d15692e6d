"""Launch links follow the repository: Binder links for the GitHub repository that `origin` names,
a loud note when there is none, and an nbgitpuller link for a JupyterHub (tools/notebook_nav.py)."""

import re
import shutil
import subprocess
import sys
import urllib.parse

import pytest

from tools import notebook_nav

ROOT = notebook_nav.ROOT
BINDER = re.compile(r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/")


@pytest.mark.parametrize("url, expected", [
    ("git@github.com:acme-school/rnn-course.git", "acme-school/rnn-course"),
    ("https://github.com/acme-school/rnn-course.git", "acme-school/rnn-course"),
    ("https://github.com/acme-school/rnn-course", "acme-school/rnn-course"),
    ("ssh://git@github.com/acme-school/rnn.course/", "acme-school/rnn.course"),
    ("https://gitlab.com/acme-school/rnn-course.git", None),
    ("/home/teacher/rnn-course", None),
])
def test_github_repository_from_an_origin_address(url, expected):
    assert notebook_nav.github_repository(url) == expected


@pytest.fixture
def clone(tmp_path):
    """A copy of what make nav reads and writes, in a git repository of its own with no origin."""
    copy = tmp_path / "course"
    copy.mkdir()
    for name in ("notebooks", "tools"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    for name in ("README.md", "course.cfg"):
        shutil.copy(ROOT / name, copy / name)
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    return copy


def nav_script(copy, *arguments):
    """tools/notebook_nav.py run as `make nav` runs it, in the copy."""
    return subprocess.run([sys.executable, "tools/notebook_nav.py", *arguments], cwd=copy, capture_output=True,
                          text=True)


@pytest.fixture
def nav(clone, monkeypatch, capsys):
    """notebook_nav.main run in this process on the clone (a second process would spend a second importing
    nbformat), with what it prints and its exit code as the script's would be."""
    monkeypatch.setattr(notebook_nav, "ROOT", clone)
    monkeypatch.setattr(notebook_nav, "NOTEBOOKS", clone / "notebooks")

    def run(*arguments):
        capsys.readouterr()
        code, message = 0, ""
        try:
            code = notebook_nav.main(list(arguments))
        except SystemExit as refusal:  # exits 1 with its message on stderr, as Python does for the script
            code, message = 1, f"{refusal.code}\n"
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(arguments, code, out, err + message)

    return run


def linked_repositories(copy):
    texts = [path.read_text() for path in (copy / "notebooks").glob("*.ipynb")] + [(copy / "README.md").read_text()]
    return [repository for text in texts for repository in BINDER.findall(text)]


def test_make_nav_writes_the_origin_s_repository_into_every_link(clone):
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:acme-school/rnn-course.git"], cwd=clone, check=True)
    result = nav_script(clone)  # the script itself, once, as make nav runs it
    assert result.returncode == 0, result.stderr
    found = linked_repositories(clone)
    assert len(found) >= 2 * 10 and set(found) == {"acme-school/rnn-course"}
    assert "placeholder" not in result.stderr
    assert nav_script(clone, "--check").returncode == 0  # and the check agrees with what it wrote


def test_with_no_github_repository_the_links_are_placeholders_and_make_nav_says_so(clone, nav):
    result = nav()
    assert result.returncode == 0
    assert set(linked_repositories(clone)) == {notebook_nav.PLACEHOLDER}
    assert "placeholder" in result.stderr and "course.cfg" in result.stderr


def test_course_cfg_names_a_repository_over_origin(clone, nav):
    subprocess.run(["git", "remote", "add", "origin", "https://github.com/fork/rnn-course"], cwd=clone, check=True)
    cfg = clone / "course.cfg"
    cfg.write_text(re.sub(r"^repository =.*$", "repository = school/published", cfg.read_text(), flags=re.M))
    assert nav().returncode == 0
    assert set(linked_repositories(clone)) == {"school/published"}


def test_the_shipped_course_cfg_names_no_repository():
    assert notebook_nav.settings()[0] == ""


def test_hub_link_clones_the_course_and_opens_the_contents(clone, nav):
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:acme-school/rnn-course.git"], cwd=clone, check=True)
    result = nav("--hub-link", "https://hub.example.edu/")
    assert result.returncode == 0, result.stderr
    link = urllib.parse.urlsplit(result.stdout.strip())
    assert (link.scheme, link.netloc, link.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    query = urllib.parse.parse_qs(link.query)
    assert query == {"repo": ["https://github.com/acme-school/rnn-course"], "branch": ["main"],
                     "urlpath": ["lab/tree/rnn-course/notebooks/00-index.ipynb"]}


def test_hub_link_refuses_without_an_address(clone, nav):
    result = nav("--hub-link", "https://hub.example.edu")
    assert result.returncode != 0 and "push it to GitHub" in result.stderr
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:a/b.git"], cwd=clone, check=True)
    result = nav("--hub-link", "hub.example.edu")
    assert result.returncode != 0 and "HUB must be the hub's address" in result.stderr
