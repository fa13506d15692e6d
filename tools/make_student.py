"""Write student copies of the notebooks: every exercise kept, every published solution removed.

Copies notebooks/ (the contents notebook and data files too, so the copies run)
into student/ at the repository root, after deleting what student/ held. In each
notebook, every `<details><summary>Solution</summary>...</details>` block is
deleted from its markdown cell, and a cell that held nothing else is dropped.
The exercise cells and their checkers are kept as they are, so each one's stored
output still says "Not answered yet" until the student answers. The Binder badges
go (with the contents' Launch column): Binder would open the published notebooks,
solutions included. Everything else is kept byte for byte: notebooks are written
as tools/notebook_nav.py writes them.
Safe to re-run.
"""

import argparse
import pathlib
import re
import shutil
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STUDENT = ROOT / "student"
SKIP = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__")

if str(ROOT) not in sys.path:  # run as `python tools/make_student.py`, sys.path[0] is tools/
    sys.path.insert(0, str(ROOT))

from tools.lesson_format import OPEN, SOLUTION  # noqa: E402  the one definition of a Solution block
from tools.notebook_nav import BADGE, write_text  # noqa: E402  the Binder badge; the one JSON layout of a notebook


def without_solutions(source):
    """(source with every Solution block deleted, number of blocks deleted).

    The blank lines that separated a block from the text around it go with it,
    so "<details>...</details>\\n\\n**2. Next exercise.**" becomes "**2. Next exercise.**".
    """
    pieces = SOLUTION.split(source)[::2]  # the text around the blocks (split also returns each block's inside)
    if len(pieces) == 1:
        return source, 0
    pieces = [pieces[0].rstrip()] + [p.strip() for p in pieces[1:-1]] + [pieces[-1].lstrip()]
    return "\n\n".join(p for p in pieces if p), len(pieces) - 1


BINDER = re.compile(r"\[!\[[^\]]*\]\(" + re.escape(BADGE) + r"\)\]\([^)]*\)")  # [![...](badge)](link)


def without_binder(source):
    """Source with every Binder badge removed: Binder opens the published notebooks, solutions
    included. In a table that held badges (the contents), their column goes too."""
    if not BINDER.search(source):
        return source
    lines = []
    for line in source.splitlines():
        if line.startswith("|"):  # | 01 | [Title](01-....ipynb) | [![Binder](...)](...) |, its header and rule
            cells = line.strip().strip("|").split("|")
            line = "|" + "|".join(cells[:-1]) + "|"
        lines.append(BINDER.sub("", line).rstrip())
    return "\n".join(lines).strip()


def student_notebook(nb, name):
    """Remove the Solution blocks (and Binder badges) of notebook `nb` in place; return how many
    Solution blocks were removed.

    Fails if the notebook holds a different number of Solution blocks than exercise
    cells (code cells with a `my_... = None` line), so no solution is missed silently.
    """
    cells, removed = [], 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source, count = without_solutions(without_binder(cell.source))
            removed += count
            if count and not source.strip():
                continue  # the cell was the solution and nothing else
            cell.source = source
        cells.append(cell)
    nb.cells = cells
    exercises = sum(1 for c in cells if c.cell_type == "code" and OPEN.search(c.source))
    if removed != exercises:
        raise ValueError(f"{name}: {exercises} exercise cells but {removed} Solution blocks; "
                         "each exercise's code cell is followed by one <details><summary>Solution</summary> block")
    return removed


def clean(out_dir):
    """Delete `out_dir`: a folder this tool wrote before, or an empty one; refuse any other."""
    out_dir = pathlib.Path(out_dir).resolve()
    if out_dir == NOTEBOOKS or out_dir in NOTEBOOKS.parents:
        raise ValueError(f"refusing to delete {out_dir}: it holds the published notebooks")
    if not out_dir.exists():
        return
    if any(out_dir.iterdir()) and not (out_dir / "00-index.ipynb").is_file():
        raise ValueError(f"refusing to delete {out_dir}: it is not empty and holds no 00-index.ipynb, "
                         "so it is not a student copy this tool wrote")
    shutil.rmtree(out_dir)


def build(out_dir=STUDENT):
    """Write the student copies into `out_dir` (deleted first); return {notebook name: solutions removed}."""
    out_dir = pathlib.Path(out_dir)
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no notebooks in {NOTEBOOKS}")
    clean(out_dir)
    shutil.copytree(NOTEBOOKS, out_dir, ignore=SKIP)  # data files and folders, no notebooks
    removed = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        removed[path.name] = student_notebook(nb, path.name)
        (out_dir / path.name).write_text(write_text(nb))
    return removed


def main(argv=None):
    """Build student/ and print what was written."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    removed = build(STUDENT)
    for name, count in removed.items():
        print(f"wrote student/{name}: {count} solution{'s' * (count != 1)} removed")
    data = sorted(p.relative_to(STUDENT) for p in STUDENT.rglob("*") if p.is_file() and p.suffix != ".ipynb")
    for path in data:
        print(f"copied student/{path}")
    print(f"{len(removed)} notebooks, {sum(removed.values())} solutions removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
