"""Every stored notebook was executed top to bottom, cleanly, and is laid out as the course promises.

nbval (run by `make test`) re-executes the notebooks and compares outputs;
these checks cover what nbval does not: the stored state itself.
"""

import pathlib
import re

import nbformat
import pytest

from tools import lesson_stats, notebook_nav
from tools.lesson_format import (
    GOING_DEEPER, IGNORE_OUTPUT_TAG, IGNORE_REASON, OTHER_TEXTS, SETUP_LINE, is_check, is_exercise, is_navigation,
    is_setup, is_visible, section, tags,
)

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
            if IGNORE_OUTPUT_TAG in tags(cell):
                continue  # not compared, so a timing may stand here; its reason is checked below
            assert not NOISE.search(text), f"{path.name} cell [{i}] stores a timing or address: {text[:120]!r}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_anatomy(path):
    """Title, navigation, the set-up cell, numbered sections, Summary, Exercises, then Going deeper if any."""
    nb = nbformat.read(path, as_version=4)
    number = path.name[:2]
    assert nb.cells[0].source.startswith(f"# {number} · "), "title cell: '# NN · Title'"
    assert is_navigation(nb.cells[1]), "the navigation cell follows the title"
    setup = nb.cells[2]
    assert is_setup(setup), f"the third cell is the set-up cell, starting {SETUP_LINE!r}"
    assert code_cells(nb)[0] is setup, "the set-up cell is the first code cell"
    source = setup.source
    assert source.index("rnnlib.configure_tensorflow()") < source.index("import keras"), (
        "configure_tensorflow must run before Keras (and TensorFlow) are imported")
    # What a learner may want to change is in the cell itself: the seed and the print options.
    assert re.search(r"^SEED = \d+$", source, re.M) and "keras.utils.set_random_seed(SEED)" in source
    assert "np.random.default_rng(SEED)" in source and "np.set_printoptions(" in source
    sections = [section(c) for c in nb.cells if section(c)]
    assert "Setup" not in sections, "the set-up cell needs no section of its own"
    numbered = [s for s in sections if re.match(r"\d+\. ", s)]
    assert numbered and [int(s.split(".")[0]) for s in numbered] == list(range(1, len(numbered) + 1))
    rest = [s for s in sections if s not in numbered]
    assert rest in (["Summary", "Exercises"], ["Summary", "Exercises", GOING_DEEPER[3:]]), (
        f"after the numbered sections come Summary, Exercises and, if needed, Going deeper; got {rest}")
    assert sections[:len(numbered)] == numbered, "the numbered sections come first"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_check_cells_sit_behind_their_teaching_cell(path):
    """A check cell follows the code it checks, collapsed, skipped on slides, and prints nothing;
    a teaching cell shows at most one assertion, the lesson's."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if is_check(cell):
            assert nb.cells[i - 1].cell_type == "code", f"{path.name} cell {i}: a check cell follows a code cell"
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, f"{path.name} cell {i}: not collapsed"
            assert cell.metadata.get("slideshow", {}).get("slide_type") == "skip", f"{path.name} cell {i}: on a slide"
            assert not cell.outputs, f"{path.name} cell {i}: a check cell prints nothing"
        elif cell.cell_type == "code" and is_visible(cell) and not is_exercise(cell):
            statements = lesson_stats.statements(cell)
            shown = [s for s in statements if lesson_stats.is_plain_check(s)]
            assert len(shown) <= 1, (f"{path.name} cell {i} shows {len(shown)} checks; keep the lesson's one and "
                                     f"move the rest to a check cell after it:\n{cell.source[:300]}")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_the_lesson_is_lean(path):
    """An hour or less on its main path, and checks at most 15% of the code a slide shows."""
    row = lesson_stats.stats(path)
    assert row["minutes"] <= 60, f"{path.name}: estimated at {row['minutes']} minutes ({row})"
    assert row["visible_check_share"] <= 0.15, f"{path.name}: {row['visible_check_share']:.0%} of the shown code checks"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_comparison_with_rnnlib_is_asserted(path):
    # A cell that recomputes something with rnnlib (by_hand, a forward pass) asserts the result, in
    # the cell or in its check cell, rather than printing two numbers for the reader to compare by eye.
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or is_exercise(cell) or IGNORE_OUTPUT_TAG in tags(cell):
            continue
        if re.search(r"\bby_hand\(|rnnlib\.\w+_forward\(", cell.source):
            following = nb.cells[i + 1] if i + 1 < len(nb.cells) and is_check(nb.cells[i + 1]) else None
            asserted = cell.source + (following.source if following else "")
            assert re.search(r"^\s*(assert |np\.testing\.assert_)", asserted, re.M), (
                f"{path.name} cell {i} computes with rnnlib but asserts nothing:\n{cell.source[:300]}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nbval_markers_are_tags_with_a_reason(path):
    # The learner's code stays clean: nbval reads its markers from cell tags, never from comment lines.
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert not re.search(r"^\s*#\s*NBVAL_", cell.source, re.M), f"{path.name} cell {i}: an NBVAL comment line"
        if IGNORE_OUTPUT_TAG in tags(cell):
            reason = cell.metadata.get(IGNORE_REASON, "")
            assert len(reason) > 20, f"{path.name} cell {i}: say why its output is not compared, in {IGNORE_REASON}"


def test_contents_and_navigation_are_up_to_date(capsys):
    # In this process, which has imported nbformat already (a new interpreter spends seconds on that).
    assert notebook_nav.main(["--check"]) == 0, capsys.readouterr().out


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


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_other_texts_are_named_in_one_short_box(path):
    # Where other books, courses or PyTorch name or write things differently, a notebook says so
    # once, in one short marked box, after its first computation.
    nb = nbformat.read(path, as_version=4)
    boxes = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith(OTHER_TEXTS)]
    assert len(boxes) <= 1, f"{path.name}: several 'Other texts' boxes, cells {boxes}"
    if boxes:
        first_computation = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and not is_setup(c))
        assert boxes[0] > first_computation, f"{path.name}: the box comes after the first computation"
        words = len(nb.cells[boxes[0]].source.split())
        assert words <= 150, f"{path.name}: the 'Other texts' box has {words} words; keep it to 150"


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
    a notebook's own code never asks for text smaller than rnnlib.plots' MIN_FONT_PT (12 pt), and a
    notebook that shows figures sets the course's look (sizes, colours, line styles) in its set-up cell."""
    import base64

    from rnnlib.widgets import _png_size

    nb = nbformat.read(path, as_version=4)
    if any("image/png" in out.get("data", {}) for cell in code_cells(nb) for out in cell.outputs):
        assert "\ncourse_style()\n" in code_cells(nb)[0].source, f"{path.name}: call course_style() in the set-up cell"
    for i, cell in enumerate(code_cells(nb), 1):
        small = [size for size in re.findall(r"fontsize=([\d.]+)", cell.source) if float(size) < 12]
        assert not small, f"{path.name} cell [{i}] sets fontsize={small[0]}, under 12 pt"
        for out in cell.outputs:
            if "image/png" in out.get("data", {}):
                png = base64.b64decode(out["data"]["image/png"])
                shown = out.get("metadata", {}).get("image/png", {}).get("width", _png_size(png)[0])
                assert shown <= 1120, f"{path.name} cell [{i}]: a figure {shown} px wide, over a slide's 1120"


LAYER = re.compile(r"\blayers\.([A-Z]\w+)\(")
COUNTING = "Counting parameters"  # counting a layer's parameters is not teaching the layer


def headings(nb):
    return [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
            if line.startswith("#")]


def test_no_layer_is_used_before_a_notebook_teaches_it():
    """A Keras layer appears in code only in or after the first notebook whose title or a heading names it."""
    taught, used = {}, []
    for path in LESSONS:
        nb = nbformat.read(path, as_version=4)
        named = headings(nb)
        for cell in code_cells(nb):
            used += [(path.name, name) for name in LAYER.findall(cell.source)]
        if COUNTING in named[0]:
            continue
        for name in {n for _, n in used} | set(re.findall(r"\b([A-Z][A-Za-z0-9]+)\b", " ".join(named))):
            if any(re.search(rf"\b{name}\b", h) for h in named):
                taught.setdefault(name, path.name)
    early = [(where, name, taught.get(name)) for where, name in used if taught.get(name, "99") > where]
    assert not early, "layers used before the notebook that teaches them (where, layer, taught in): " + str(early)


def test_the_notation_page_lists_each_symbol_once():
    index = nbformat.read(ROOT / "notebooks" / "00-index.ipynb", as_version=4)
    page = next(c.source for c in index.cells if c.source.startswith("## Notation"))
    symbols = [row.split("|")[1].strip() for row in page.splitlines() if row.startswith("| $")]
    assert len(symbols) >= 20
    duplicates = {s for s in symbols if symbols.count(s) > 1}
    assert not duplicates, f"listed twice: {duplicates}"


# Forms the course does not write: the last state is h_{T-1}; vectors are rows, x_t U, not U x_t.
NOT_OUR_NOTATION = re.compile(r"h_T\b|h_\{T\}|\b[UVW]\s*x_t\b|\bW\s*h_\{t-1\}")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_one_notation(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and not cell.source.startswith(OTHER_TEXTS):
            found = NOT_OUR_NOTATION.search(markdown_prose(cell))
            assert not found, f"{path.name} cell {i}: {found.group(0)!r} (the notation page says how we write it)"
