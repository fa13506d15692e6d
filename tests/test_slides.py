"""tools/slides.py: every lesson carries the slide types its rules give, and the rules do what they say.

Whether each slide fits a 1280x720 screen is `make test-browser`'s part (it presents every lesson).
"""

import nbformat
import pytest

from tools import slides
from tools.notebook_nav import read


def test_every_lesson_has_its_slide_metadata():
    """`python tools/slides.py --check` passes: no lesson lacks a slide type or breaks a rule."""
    assert slides.main(["--check"]) == 0, "run `.venv/bin/python tools/slides.py`"


@pytest.mark.parametrize("path", slides.lessons(), ids=lambda p: p.name[:2])
def test_slides_start_with_the_title_and_every_section(path):
    nb = read(path)
    starts = [c.source.splitlines()[0] for c in nb.cells
              if c.metadata.get("slideshow", {}).get("slide_type") == "slide"]
    assert starts[0].startswith("# ") and all(line.startswith("## ") for line in starts[1:]), starts
    assert len(starts) >= 5, f"{path.name}: only {len(starts)} slides"


@pytest.mark.parametrize("path", slides.lessons(), ids=lambda p: p.name[:2])
def test_a_section_heading_starts_its_cell(path):
    """A "## " heading inside a cell would put its section on the slide before it."""
    inside = [c.id for c in read(path).cells if c.cell_type == "markdown" and "\n## " in c.source]
    assert not inside, f"{path.name}: split these cells at their '## ' heading: {inside}"


def small_notebook():
    cells = [nbformat.v4.new_markdown_cell("# 01 · Title\n\nGoals."),
             nbformat.v4.new_markdown_cell("links"),
             nbformat.v4.new_markdown_cell("## 1. A section"),
             nbformat.v4.new_code_cell("x = 1"),
             nbformat.v4.new_markdown_cell("One more idea."),
             nbformat.v4.new_code_cell("y = 2"),
             nbformat.v4.new_code_cell("z = 3"),
             nbformat.v4.new_markdown_cell("<details><summary>Solution</summary>\n\nz = 3\n</details>")]
    cells[1].metadata["tags"] = ["navigation"]
    cells[5].metadata["slideshow"] = {"slide_type": "-"}  # as nbconvert and older tools write "continue"
    cells[6].metadata["slideshow"] = {"slide_type": "subslide"}  # an author's choice
    return nbformat.v4.new_notebook(cells=cells)


def test_the_rules():
    nb = small_notebook()
    changes = slides.apply(nb)
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert types == ["slide", "skip", "slide", None, "subslide", None, "subslide", None]  # a Solution: its exercise's slide
    assert "slideshow" not in nb.cells[5].metadata  # "-" removed: jupyterlab-slideshow would hide the cell
    assert [index for index, _, _ in changes] == [0, 1, 2, 4, 5]
    assert slides.apply(nb) == []  # a second run changes nothing


def test_a_code_cell_never_starts_a_section_or_is_skipped():
    nb = small_notebook()
    nb.cells[3].metadata["slideshow"] = {"slide_type": "skip"}
    nb.cells[5].metadata["slideshow"] = {"slide_type": "slide"}
    slides.apply(nb)
    assert "slideshow" not in nb.cells[3].metadata and "slideshow" not in nb.cells[5].metadata
