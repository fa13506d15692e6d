"""Write the contents, the navigation cells and the Binder links of every notebook.

Reads each notebook's title (its first line, '# NN · Title') and the GitHub
repository the Binder links open: the one course.cfg names, or else the one
`git remote get-url origin` names (https or ssh form), or else a placeholder,
which it says loudly. Then it writes
  - the contents cell of notebooks/00-index.ipynb,
  - a navigation cell after the title of every other notebook and one at its
    end: previous, contents, next, and a Binder launch link,
  - the list of notebooks in README.md, between its marker comments.
Safe to re-run: a second run changes nothing. `--check` writes nothing and
exits 1 if a run would change a file (tests/test_notebooks.py uses it); it checks
the links against the repository they already name, so a clone checks clean
wherever it came from. `--hub-link HUB` prints the nbgitpuller link that clones
the course onto a JupyterHub and opens the contents (`make hub-link HUB=...`).
"""

import argparse
import configparser
import pathlib
import re
import subprocess
import sys
import urllib.parse

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
INDEX = "00-index.ipynb"
README_START, README_END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"
BADGE = "https://mybinder.org/badge_logo.svg"
PLACEHOLDER = "OWNER/REPOSITORY"  # what the links name when no GitHub repository is known
GITHUB = re.compile(r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)([\w.-]+)/([\w.-]+?)(?:\.git)?/?$")
LINKED = re.compile(r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/")


def settings():
    """(repository or '', branch) from course.cfg's [binder] section."""
    config = configparser.ConfigParser()
    config.read(ROOT / "course.cfg")
    return config["binder"].get("repository", "").strip(), config["binder"]["ref"]


def github_repository(url):
    """'owner/name' from a GitHub address, https or ssh form; None for any other address."""
    match = GITHUB.match(url.strip())
    return f"{match.group(1)}/{match.group(2)}" if match else None


def origin_url():
    """What `git remote get-url origin` prints here, or None (no git, no repository, no origin)."""
    try:
        result = subprocess.run(["git", "remote", "get-url", "origin"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def repository():
    """(owner/name the Binder links open, where that came from: 'course.cfg', 'origin' or None)."""
    named, _ = settings()
    if named:
        return named, "course.cfg"
    found = github_repository(origin_url() or "")
    return (found, "origin") if found else (PLACEHOLDER, None)


def binder_url(path_in_repo, repository):
    """A Binder link that opens `path_in_repo` of GitHub's `repository` in JupyterLab."""
    return f"https://mybinder.org/v2/gh/{repository}/{settings()[1]}?urlpath=lab/tree/{path_in_repo}"


def hub_link(hub):
    """The nbgitpuller link that clones this course onto the JupyterHub at `hub` (or pulls it
    again) and opens its contents notebook in JupyterLab."""
    named = settings()[0] or github_repository(origin_url() or "")
    url = f"https://github.com/{named}" if named else (origin_url() or "")
    if not url.startswith("https://"):
        raise SystemExit("make hub-link: no public address for the course: name its GitHub repository in "
                         "course.cfg (repository = owner/name) or push it to GitHub first (git remote add origin ...)")
    if not re.match(r"^https?://[^/\s]+", hub or ""):
        raise SystemExit(f"make hub-link: HUB must be the hub's address, e.g. HUB=https://hub.example.edu; got {hub!r}")
    folder = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")  # nbgitpuller clones into the repository's name
    query = urllib.parse.urlencode({"repo": url, "branch": settings()[1],
                                    "urlpath": f"lab/tree/{folder}/notebooks/{INDEX}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def read(path):
    return nbformat.read(path, as_version=4)


def write_text(nb):
    """The exact text nbformat writes, so that comparing texts detects any change."""
    return nbformat.writes(nb) + "\n"


def title(nb, path):
    first = nb.cells[0] if nb.cells else None
    line = first.source.splitlines()[0] if first is not None and first.source else ""
    if first is None or first.cell_type != "markdown" or not line.startswith("# "):
        raise ValueError(f"{path.name}: the first cell must be markdown starting '# NN · Title'; got {line!r}")
    return line[2:].strip()


def nav_cell(cell_id, text):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = cell_id
    # Links are no slide: presentation mode skips the cell (tools/slides.py's rule).
    cell.metadata = {"slideshow": {"slide_type": "skip"}, "tags": ["navigation"]}
    return cell


def navigation(pages, i, repository):
    links = []
    if i > 0:
        links.append(f"[← {pages[i - 1][1]}]({pages[i - 1][0]})")
    links.append(f"[Contents]({INDEX})")
    if i + 1 < len(pages):
        links.append(f"[{pages[i + 1][1]} →]({pages[i + 1][0]})")
    badge = f"[![Launch on Binder]({BADGE})]({binder_url('notebooks/' + pages[i][0], repository)})"
    return "<!--NAVIGATION-->\n" + " | ".join(links) + "\n\n" + badge


def contents(pages, repository):
    lines = ["<!--CONTENTS-->", "| # | Notebook | Launch |", "|---|---|---|"]
    for name, heading in pages:
        number, _, text = heading.partition(" · ")
        lines.append(f"| {number} | [{text}]({name}) | [![Binder]({BADGE})]({binder_url('notebooks/' + name, repository)}) |")
    return "\n".join(lines)


def readme_block(pages, repository):
    lines = [README_START, ""]
    lines.append(f"[![Launch the course on Binder]({BADGE})]({binder_url('notebooks/' + INDEX, repository)})")
    lines.append("")
    for name, heading in pages:
        lines.append(f"- [{heading}](notebooks/{name})")
    lines += ["", README_END]
    return "\n".join(lines)


def with_block(text, start, end, block):
    """text with what lies from marker `start` to marker `end` (both included) replaced by `block`."""
    before, _, rest = text.partition(start)
    return before + block + rest.partition(end)[2]


def without_navigation(cells):
    return [c for c in cells if "navigation" not in c.get("metadata", {}).get("tags", [])]


def committed_repository():
    """The repository the contents' Binder links name today, or None."""
    index = NOTEBOOKS / INDEX
    found = LINKED.search(index.read_text()) if index.exists() else None
    return found.group(1) if found else None


def planned_changes(repository):
    """{path: new text} for every file whose text a run would change, the links opening `repository`."""

    paths = sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    books = {p: read(p) for p in paths}
    index_path = NOTEBOOKS / INDEX
    pages = [(p.name, title(nb, p)) for p, nb in books.items() if p != index_path]
    changes = {}
    for i, (name, _) in enumerate(pages):
        path = NOTEBOOKS / name
        nb = books[path]
        cells = without_navigation(nb.cells)
        text = navigation(pages, i, repository)
        nb.cells = [cells[0], nav_cell("nav-top", text)] + cells[1:] + [nav_cell("nav-bottom", text)]
        changes[path] = write_text(nb)
    if index_path in books:
        nb = books[index_path]
        cells = [c for c in nb.cells if not c.source.startswith("<!--CONTENTS-->")]
        table = nbformat.v4.new_markdown_cell(contents(pages, repository))
        table.id = "contents"
        nb.cells = cells[:1] + [table] + cells[1:]
        changes[index_path] = write_text(nb)
    readme = ROOT / "README.md"
    if readme.exists():
        text = readme.read_text()
        if README_START in text and README_END in text:
            changes[readme] = with_block(text, README_START, README_END, readme_block(pages, repository))
    return {p: t for p, t in changes.items() if p.read_text() != t}


PLACEHOLDER_WARNING = f"""
make nav: NOTE: the Binder links point at the placeholder {PLACEHOLDER}, which opens nothing.
Neither course.cfg (repository = owner/name) nor `git remote get-url origin` names a GitHub
repository. Push the course to GitHub (git remote add origin git@github.com:OWNER/NAME.git),
or name it in course.cfg, then run make nav again and commit the notebooks it rewrites.
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a run would change a file")
    parser.add_argument("--hub-link", metavar="HUB", help="print the nbgitpuller link for the JupyterHub at HUB")
    args = parser.parse_args(argv)
    if args.hub_link is not None:
        print(hub_link(args.hub_link))
        return 0
    named, source = repository()
    if args.check:
        changes = planned_changes(committed_repository() or named)
        for path in changes:
            print(f"would change {path.relative_to(ROOT)}: run `make nav`")
        return 1 if changes else 0
    for path, text in planned_changes(named).items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"Binder links open {named}" + (f" (from {source})" if source else ""))
    if source is None:
        print(PLACEHOLDER_WARNING, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
