"""The kinds of cell a lesson is made of: one definition, read by the tools and the tests alike.

A lesson notebook holds, in order:

  - the title cell, `# NN · Title` with the lesson's goals;
  - a navigation cell (tagged "navigation"; tools/notebook_nav.py writes it);
  - the set-up cell: the first code cell, whose first line is SETUP_LINE. It imports, prepares
    TensorFlow and fixes the random numbers; it is skipped on slides;
  - the numbered sections, `## 1. ...`, each a sentence or two of prose, then code. A teaching
    cell computes and shows, with at most the one assertion that is its lesson. Any further
    checks follow it in a check cell: tagged "check", its input collapsed in JupyterLab
    (metadata.jupyter.source_hidden), skipped on slides, printing nothing;
  - `## Summary`, then `## Exercises`: an exercise cell holds a line `my_... = None` and a checker;
    the markdown cell after it holds its Solution, folded (`<details><summary>Solution</summary>`);
  - where a lesson needs one, `## Going deeper`: framework internals, history, other frameworks;
  - a navigation cell.

A code cell whose output cannot repeat (a timing, a live widget) carries nbval's tag
IGNORE_OUTPUT_TAG, and says why in its metadata under IGNORE_REASON.
"""

import re

SETUP_LINE = "# Run this first: it loads the course's helpers and fixes the random numbers."
CHECK_TAG = "check"
NAVIGATION_TAG = "navigation"
IGNORE_OUTPUT_TAG = "nbval-ignore-output"
IGNORE_REASON = "nbval-ignore-output-reason"
GOING_DEEPER = "## Going deeper"
OTHER_TEXTS = "> **Other texts write it differently.**"

OPEN = re.compile(r"^my_\w+ = None.*$", re.M)  # the line of an exercise cell a learner replaces
SOLUTION = re.compile(r"<details><summary>Solution</summary>(.*?)</details>", re.S)
CODE = re.compile(r"```python\n(.*?)```", re.S)  # a Solution's code


def tags(cell):
    return cell.metadata.get("tags", [])


def is_navigation(cell):
    return NAVIGATION_TAG in tags(cell)


def is_setup(cell):
    return cell.cell_type == "code" and cell.source.startswith(SETUP_LINE)


def is_check(cell):
    return cell.cell_type == "code" and CHECK_TAG in tags(cell)


def is_exercise(cell):
    return cell.cell_type == "code" and bool(OPEN.search(cell.source))


def section(cell):
    """The title of the section a cell starts ("## Title"), or None."""
    if cell.cell_type == "markdown" and cell.source.startswith("## "):
        return cell.source.splitlines()[0][3:].strip()
    return None


def main_path(cells):
    """The cells before the Going deeper section: what a lesson's hour covers."""
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and cell.source.startswith(GOING_DEEPER):
            return cells[:index]
    return cells


def is_visible(cell):
    """Shown on a slide: not skipped, and its code not collapsed."""
    skipped = cell.metadata.get("slideshow", {}).get("slide_type") == "skip"
    return not skipped and not cell.metadata.get("jupyter", {}).get("source_hidden", False)
