"""Write, or check, the slide metadata of every lesson, so each one opens as live slides.

Presentation mode (jupyterlab-slideshow; the notebook's toolbar button, or the command
palette's "Start Deck") reads each cell's `metadata.slideshow.slide_type`, as RISE and
nbconvert do. The course's rules, from the notebook's own structure:

  - the title cell, with the goals, is the title slide: "slide";
  - each section (a markdown cell starting "## ") starts a new slide: "slide";
  - any other markdown cell is one idea on a slide of its own below its section: "subslide",
    except an exercise's folded Solution, which stays on its exercise's slide;
  - a code cell stays on the slide of the text before it, with its output: no slide type
    (what JupyterLab's property inspector shows as "-"; jupyterlab-slideshow hides a cell
    whose slide type is the string "-"), unless an author gave it a slide of its own:
    "subslide" (kept when re-run);
  - the navigation cells (links, Binder badge), the set-up cell and the check cells
    (tools/lesson_format.py) are not slides: "skip".

`python tools/slides.py` writes what is missing or breaks a rule and keeps an author's
"subslide" on a code cell, and writes README.md's class plan (between its marker comments):
per lesson, its slides up to the exercises, what to run live, its exercises and a suggested
class time. `--check` writes nothing and exits 1, naming each cell, when a run would change
a file (tests/test_slides.py runs it). The contents notebook is not a talk and gets no metadata. Whether each slide fits a 1280x720 screen only a browser can tell:
`make test-browser` presents every lesson and fails on a slide that overflows.
"""

import argparse
import pathlib
import re
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python tools/slides.py`, sys.path[0] is tools/
    sys.path.insert(0, str(ROOT))

from rnnlib.widgets import CourseWidget  # noqa: E402
from tools.lesson_format import OPEN, SOLUTION, is_check, is_navigation, is_setup, section  # noqa: E402
from tools.notebook_nav import NOTEBOOKS, read, title, with_block, write_text  # noqa: E402  one layout of a notebook

PLAN_START, PLAN_END = "<!-- class-plan:start -->", "<!-- class-plan:end -->"
# A cell that builds one of the course's widgets (their classes, by name).
WIDGET = re.compile(r"\b(%s)\(" % "|".join(c.__name__ for c in CourseWidget.__subclasses__()))
MINUTES_PER_SLIDE = 2


def slide_type(cell, index, current):
    """The slide type the rules give this cell, None for none (`current` is what it has now)."""
    if is_navigation(cell) or is_setup(cell) or is_check(cell):  # links, the set-up, the checks
        return "skip"
    if index == 0 or section(cell) is not None:
        return "slide"
    if cell.cell_type == "markdown" and SOLUTION.match(cell.source):
        return None  # on its exercise's slide, folded
    if cell.cell_type == "markdown":
        return "subslide"
    return "subslide" if current == "subslide" else None


def lessons():
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb") if not p.name.startswith("00-"))


def apply(nb):
    """Set every cell's slide type by the rules; return [(index, old, new)] for what changed."""
    changes = []
    for index, cell in enumerate(nb.cells):
        current = cell.metadata.get("slideshow", {}).get("slide_type")
        wanted = slide_type(cell, index, current)
        if current != wanted or ("slideshow" in cell.metadata and wanted is None):
            cell.metadata.pop("slideshow", None)
            if wanted is not None:
                cell.metadata["slideshow"] = {"slide_type": wanted}
            changes.append((index, current, wanted))
    return changes


def is_slide(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide")


def plan_row(path):
    """One README row: the lesson, its slides before the Exercises section, the sections whose
    widgets to move live, its exercises, and a class time of MINUTES_PER_SLIDE a slide, rounded
    up to 5 minutes (the exercises are the students' work, in the student copies)."""
    nb = read(path)
    current, live, slides = "", [], 0
    for cell in nb.cells:
        current = section(cell) or current
        if current == "Exercises":
            break
        slides += is_slide(cell)
        if cell.cell_type == "code" and WIDGET.search(cell.source) and current not in live:
            live.append(current)
    exercises = sum(bool(c.cell_type == "code" and OPEN.search(c.source)) for c in nb.cells)
    minutes = -(-MINUTES_PER_SLIDE * slides // 5) * 5
    widgets = "; ".join(f"§ {name}" for name in live) or "none"
    return f"| [{title(nb, path)}](notebooks/{path.name}) | {slides} | {widgets} | {exercises} | {minutes} min |"


def plan():
    rows = ["| Notebook | Slides to present | Widgets to move live | Exercises | Class time |",
            "|---|---|---|---|---|"]
    return "\n".join([PLAN_START, ""] + rows + [plan_row(p) for p in lessons()] + ["", PLAN_END])


def readme_with_plan():
    """README.md's text with the class plan written in, and whether that changed it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    if PLAN_START not in text or PLAN_END not in text:
        raise SystemExit(f"README.md has no {PLAN_START} ... {PLAN_END} block for the class plan")
    new = with_block(text, PLAN_START, PLAN_END, plan())
    return new, new != text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    args = parser.parse_args(argv)
    stale = []
    for path in lessons():
        nb = read(path)
        changes = apply(nb)
        if not changes:
            continue
        if args.check:
            stale += [f"{path.name}: cell {i} ({nb.cells[i].id}) has slide type {old!r}, the rules give {new!r}"
                      for i, old, new in changes]
        else:
            path.write_text(write_text(nb), encoding="utf-8")
            print(f"{path.name}: {len(changes)} cell(s) given their slide type")
    readme, changed = readme_with_plan()
    if changed and args.check:
        stale.append("README.md: the class plan is out of date")
    elif changed:
        (ROOT / "README.md").write_text(readme, encoding="utf-8")
        print("README.md: class plan written")
    if stale:
        print("\n".join(stale + ["run `.venv/bin/python tools/slides.py` to write them"]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
