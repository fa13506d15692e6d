"""Every stored notebook was executed top to bottom, cleanly, and is laid out as the course promises.

nbval (run by `make test`) re-executes the notebooks and compares outputs;
these checks cover what nbval does not: the stored state itself.
"""

import pathlib
import re
import subprocess
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
LESSONS = [p for p in NOTEBOOKS if not p.name.startswith("00-")]
NOISE = re.compile(r"\d+ms/step|\d+s/step|at 0x[0-9a-f]{6,}|\d+(\.\d+)?\s*(ms|µs|us)\b")


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def test_there_are_notebooks():
    assert (ROOT / "notebooks" / "00-index.ipynb") in NOTEBOOKS
    assert LESSONS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_top_to_bottom_without_errors_or_stderr(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    cells = code_cells(nb)
    counts = [c.execution_count for c in cells]
    assert counts == list(range(1, len(cells) + 1)), f"{path.name}: execution counts {counts}; run `make notebooks`"
    for i, cell in enumerate(cells, 1):
        for out in cell.outputs:
            assert out.output_type != "error", f"{path.name} cell [{i}] stored an error: {out.get('ename')}"
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"{path.name} cell [{i}] stored stderr: {out.text[:120]!r}")
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            if cell.source.startswith("# NBVAL_IGNORE_OUTPUT"):
                continue  # not compared, so a timing may stand here; its reason is checked below
            assert not NOISE.search(text), f"{path.name} cell [{i}] stores a timing or address: {text[:120]!r}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_anatomy(path):
    nb = nbformat.read(path, as_version=4)
    number = path.name[:2]
    assert nb.cells[0].source.startswith(f"# {number} · "), "title cell: '# NN · Title'"
    headings = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()]
    assert "## Summary" in headings and "## Exercises" in headings
    first_code = code_cells(nb)[0].source
    assert "rnnlib.configure_tensorflow()" in first_code, "the first code cell prepares TensorFlow"
    assert first_code.index("rnnlib.configure_tensorflow()") < first_code.index("import keras"), (
        "configure_tensorflow must run before Keras (and TensorFlow) are imported")
    # The set-up a learner should see is in the cell itself: the seed and the print options.
    assert re.search(r"^SEED = \d+$", first_code, re.M) and "keras.utils.set_random_seed(SEED)" in first_code
    assert "np.random.default_rng(SEED)" in first_code and "np.set_printoptions(" in first_code


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_comparison_with_rnnlib_is_asserted(path):
    # A cell that recomputes something with rnnlib (by_hand, a forward pass) asserts the result in
    # the same cell, rather than printing two numbers for the reader to compare by eye.
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(code_cells(nb), 1):
        src = cell.source
        if re.search(r"\bby_hand\(|rnnlib\.\w+_forward\(", src) and not src.startswith("# NBVAL") and "my_" not in src:
            assert re.search(r"^\s*(assert |np\.testing\.assert_)", src, re.M), (
                f"{path.name} cell [{i}] computes with rnnlib but asserts nothing:\n{src[:300]}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nbval_markers_are_exact_and_give_a_reason(path):
    # nbval acts on a comment line only when it is exactly the marker, so
    # '# NBVAL_IGNORE_OUTPUT: because ...' would be silently ignored.
    nb = nbformat.read(path, as_version=4)
    for cell in code_cells(nb):
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            if "NBVAL" not in line:
                continue
            assert i == 0 and line in {"# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP", "# NBVAL_RAISES_EXCEPTION"}, (
                f"{path.name}: {line!r} must be the first line and exactly a marker nbval knows")
            assert len(lines) > 1 and lines[1].startswith("# Why: ") and len(lines[1]) > 20, (
                f"{path.name}: the line after {line!r} gives the reason, '# Why: ...'")


def test_contents_and_navigation_are_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "notebook_nav.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_index_lists_every_lesson_with_a_binder_link():
    index = nbformat.read(ROOT / "notebooks" / "00-index.ipynb", as_version=4)
    text = "\n".join(c.source for c in index.cells)
    for path in LESSONS:
        assert f"]({path.name})" in text
        assert f"urlpath=lab/tree/notebooks/{path.name}" in text


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_exercise_has_a_solution_that_nbval_checks(path):
    from tests.nbval_solutions import OPEN, solutions

    nb = nbformat.read(path, as_version=4)
    every_code_cell = [c for c in nb.cells if c.cell_type == "code"]  # numbered as nbval numbers them
    exercises = [i for i, c in enumerate(every_code_cell) if OPEN.search(c.source)]
    assert len(exercises) >= 2, "a lesson ends with at least two exercises"
    assert [index for index, _ in solutions(nb)] == exercises, "each exercise cell is followed by its Solution block"


def markdown_prose(cell):
    """A markdown cell's text without its code: fenced blocks and `inline spans` removed."""
    return re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", cell.source, flags=re.S))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_prose_stands_on_its_own(path):
    # The course grew from lecture notebooks a learner never sees ("seed 003" and the like);
    # the prose introduces every example in its own right. `SEED` in code spans is the
    # notebook's own random seed, shown in its first cell.
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            found = re.search(r".{0,40}\bseeds?\b.{0,40}", markdown_prose(cell), re.I)
            assert not found, f"{path.name} cell {i} mentions a seed: {found.group(0)!r}"


# A number worth stating (three or more digits, or two or more decimals) in a comment.
STATED_NUMBER = re.compile(r"#.*?(\d{3,}|\d\.\d{2,})")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_solutions_state_their_numbers_in_assertions(path):
    # A comment such as `# 6210` beside an expression is never checked; an assert is.
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or "<summary>Solution</summary>" not in cell.source:
            continue
        for block in re.findall(r"```python\n(.*?)```", cell.source, re.S):
            for line in block.splitlines():
                found = STATED_NUMBER.search(line)
                assert not found, f"{path.name} cell {i}: state the number in an assert, not a comment: {line!r}"


OTHER_TEXTS = "> **Other texts write it differently.**"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_other_texts_are_named_in_one_box(path):
    # Where other books, courses or PyTorch name or write things differently, a notebook says so
    # once, in one marked box, rather than in asides scattered through the lesson.
    nb = nbformat.read(path, as_version=4)
    boxes = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith(OTHER_TEXTS)]
    assert len(boxes) <= 1, f"{path.name}: several 'Other texts' boxes, cells {boxes}"
    if int(path.name[:2]) <= 7:  # the notebooks whose names other texts use differently
        assert boxes, f"{path.name}: no cell starts with {OTHER_TEXTS!r}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_a_widget_is_saved_as_a_picture(path):
    # Without a kernel (GitHub, nbviewer, JupyterLab before Run All) a saved live view can only say
    # "model not found", and its text/plain is Python's repr; the course's widgets save a picture.
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(code_cells(nb), 1):
        for out in cell.outputs:
            data = out.get("data", {})
            assert "application/vnd.jupyter.widget-view+json" not in data, f"{path.name} cell [{i}] saved a live view"
            assert "children=(" not in str(data.get("text/plain", "")), f"{path.name} cell [{i}] saved a widget's repr"
            if "(run the notebook to move it)" in str(data.get("text/plain", "")):
                assert "image/png" in data, f"{path.name} cell [{i}]: a widget without its picture"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_figures_read_on_a_projector(path):
    """A stored figure fits a 1280x720 slide unscaled (tests/test_plots.py checks rnnlib's own text sizes),
    and a notebook's own code never asks for text smaller than rnnlib.plots' MIN_FONT_PT (12 pt)."""
    import base64

    from rnnlib.widgets import _png_size

    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(code_cells(nb), 1):
        small = [size for size in re.findall(r"fontsize=([\d.]+)", cell.source) if float(size) < 12]
        assert not small, f"{path.name} cell [{i}] sets fontsize={small[0]}, under 12 pt"
        for out in cell.outputs:
            if "image/png" in out.get("data", {}):
                png = base64.b64decode(out["data"]["image/png"])
                shown = out.get("metadata", {}).get("image/png", {}).get("width", _png_size(png)[0])
                assert shown <= 1120, f"{path.name} cell [{i}]: a figure {shown} px wide, over a slide's 1120"
