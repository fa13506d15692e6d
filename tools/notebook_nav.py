"""Write the contents, the navigation cells and the Binder links of every notebook.

Reads each notebook's title (its first line, '# NN · Title') and the Binder
address in course.cfg, then writes
  - the contents cell of notebooks/00-index.ipynb,
  - a navigation cell after the title of every other notebook and one at its
    end: previous, contents, next, and a Binder launch link,
  - the list of notebooks in README.md, between its marker comments.
Safe to re-run: a second run changes nothing. `--check` writes nothing and
exits 1 if a run would change a file (tests/test_notebooks.py uses it).
"""

import argparse
import configparser
import pathlib
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
INDEX = "00-index.ipynb"
README_START, README_END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"
BADGE = "https://mybinder.org/badge_logo.svg"


def settings():
    config = configparser.ConfigParser()
    config.read(ROOT / "course.cfg")
    return config["binder"]["repository"], config["binder"]["ref"]


def binder_url(path_in_repo):
    """A Binder link that opens `path_in_repo` in JupyterLab."""
    repository, ref = settings()
    return f"https://mybinder.org/v2/gh/{repository}/{ref}?urlpath=lab/tree/{path_in_repo}"


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


def navigation(pages, i):
    links = []
    if i > 0:
        links.append(f"[← {pages[i - 1][1]}]({pages[i - 1][0]})")
    links.append(f"[Contents]({INDEX})")
    if i + 1 < len(pages):
        links.append(f"[{pages[i + 1][1]} →]({pages[i + 1][0]})")
    badge = f"[![Launch on Binder]({BADGE})]({binder_url('notebooks/' + pages[i][0])})"
    return "<!--NAVIGATION-->\n" + " | ".join(links) + "\n\n" + badge


def contents(pages):
    lines = ["<!--CONTENTS-->", "| # | Notebook | Launch |", "|---|---|---|"]
    for name, heading in pages:
        number, _, text = heading.partition(" · ")
        lines.append(f"| {number} | [{text}]({name}) | [![Binder]({BADGE})]({binder_url('notebooks/' + name)}) |")
    return "\n".join(lines)


def readme_block(pages):
    lines = [README_START, ""]
    lines.append(f"[![Launch the course on Binder]({BADGE})]({binder_url('notebooks/' + INDEX)})")
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


def planned_changes():
    """{path: new text} for every file whose text a run would change."""
    paths = sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    books = {p: read(p) for p in paths}
    index_path = NOTEBOOKS / INDEX
    pages = [(p.name, title(nb, p)) for p, nb in books.items() if p != index_path]
    changes = {}
    for i, (name, _) in enumerate(pages):
        path = NOTEBOOKS / name
        nb = books[path]
        cells = without_navigation(nb.cells)
        text = navigation(pages, i)
        nb.cells = [cells[0], nav_cell("nav-top", text)] + cells[1:] + [nav_cell("nav-bottom", text)]
        changes[path] = write_text(nb)
    if index_path in books:
        nb = books[index_path]
        cells = [c for c in nb.cells if not c.source.startswith("<!--CONTENTS-->")]
        table = nbformat.v4.new_markdown_cell(contents(pages))
        table.id = "contents"
        nb.cells = cells[:1] + [table] + cells[1:]
        changes[index_path] = write_text(nb)
    readme = ROOT / "README.md"
    if readme.exists():
        text = readme.read_text()
        if README_START in text and README_END in text:
            changes[readme] = with_block(text, README_START, README_END, readme_block(pages))
    return {p: t for p, t in changes.items() if p.read_text() != t}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a run would change a file")
    args = parser.parse_args(argv)
    changes = planned_changes()
    if args.check:
        for path in changes:
            print(f"would change {path.relative_to(ROOT)}: run `make nav`")
        return 1 if changes else 0
    for path, text in changes.items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
