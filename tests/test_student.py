"""tools/make_student.py: student copies keep every exercise and its checker, and no solution.

The copies are built once into a temporary folder; nothing here executes a notebook.
"""

import pathlib

import nbformat
import pytest

from tests.nbval_solutions import CODE, OPEN, SOLUTION
from tools import make_student

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb") if not p.name.startswith("00-"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(output folder, {notebook name: solutions removed}) of one build."""
    out = tmp_path_factory.mktemp("build") / "student"
    return out, make_student.build(out)


def is_exercise(cell):
    """An exercise cell: code with a `my_... = None` line (tests/nbval_solutions.py's OPEN)."""
    return cell.cell_type == "code" and OPEN.search(cell.source)


def solution_lines(nb):
    """[lines of each Solution's code that the published notebook shows nowhere else], one list per Solution.

    A line the lesson itself shows (a loop header it reuses, say) gives nothing away.
    """
    elsewhere = "\n".join([SOLUTION.sub("", c.source) for c in nb.cells] + [output_text(nb)])
    found = []
    for cell in nb.cells:
        for details in SOLUTION.findall(cell.source):
            lines = {line.strip() for code in CODE.findall(details) for line in code.splitlines()}
            found.append([line for line in lines if len(line) >= 8 and line not in elsewhere])
    return found


def output_text(nb):
    """Every text output of every code cell, joined."""
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            texts.append(out.get("text", "") or out.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


def test_every_notebook_and_data_file_is_copied(built):
    out, removed = built
    published = sorted(p.relative_to(NOTEBOOKS) for p in NOTEBOOKS.rglob("*") if p.is_file()
                       and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts)
    assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) == published
    assert sorted(removed) == sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    index, published_index = (nbformat.read(d / "00-index.ipynb", as_version=4) for d in (out, NOTEBOOKS))
    assert [c for c in index.cells if c.id != "contents"] == [c for c in published_index.cells if c.id != "contents"]
    assert (out / "data").is_dir()


@pytest.mark.parametrize("name", LESSONS)
def test_no_solution_remains(built, name):
    out, _ = built
    published = nbformat.read(NOTEBOOKS / name, as_version=4)
    student_text = (out / name).read_text()
    student = nbformat.reads(student_text, as_version=4)
    assert "<summary>Solution</summary>" not in student_text
    assert not any(SOLUTION.search(c.source) for c in student.cells)
    anywhere = "\n".join([c.source for c in student.cells] + [output_text(student)])
    for i, lines in enumerate(solution_lines(published), 1):
        assert lines, f"{name}: Solution {i} has no line of its own to look for"
        for line in lines:
            assert line not in anywhere, f"{name}: Solution {i}'s line {line!r} is in the student copy"


@pytest.mark.parametrize("name", LESSONS)
def test_exercises_and_checkers_are_kept(built, name):
    # The exercise cells (`my_... = None` and the rnnlib.check_answer call) are the published
    # ones, byte for byte: so the checker that nbval's solution items run against the published
    # solution in `make test` (tests/nbval_solutions.py) is the same code the student runs.
    out, removed = built
    published = nbformat.read(NOTEBOOKS / name, as_version=4)
    student = nbformat.read(out / name, as_version=4)
    exercises = [c for c in published.cells if is_exercise(c)]
    assert exercises, f"{name} has no exercise"
    assert [c for c in student.cells if is_exercise(c)] == exercises
    assert removed[name] == len(exercises) == sum(len(SOLUTION.findall(c.source)) for c in published.cells)
    for cell in exercises:
        assert "check_answer(" in cell.source, cell.source
        assert "Not answered yet" in "".join(o.get("text", "") for o in cell.outputs), cell.source


@pytest.mark.parametrize("name", LESSONS)
def test_everything_else_is_unchanged(built, name):
    out, _ = built
    published = nbformat.read(NOTEBOOKS / name, as_version=4)
    student = nbformat.read(out / name, as_version=4)
    held_solutions = {c.id for c in published.cells if SOLUTION.search(c.source)}
    navigation = {c.id for c in published.cells if "navigation" in c.metadata.get("tags", [])}
    assert [c for c in student.cells if c.id not in held_solutions | navigation] == \
           [c for c in published.cells if c.id not in held_solutions | navigation]
    assert student.metadata == published.metadata
    by_id = {c.id: c for c in published.cells}
    for cell in (c for c in student.cells if c.id in held_solutions):
        before = by_id[cell.id]
        assert {**cell, "source": ""} == {**before, "source": ""}  # same id, metadata, attachments
        assert cell.source.strip() and cell.source.strip() in before.source  # the rest of the text, as it was
    kept = [c.id for c in student.cells]
    assert kept == [c.id for c in published.cells if c.id in kept], "the cells keep their order"


def test_rebuilding_gives_the_same_files_and_removes_stale_ones(built, tmp_path):
    out, _ = built
    again = tmp_path / "student"
    make_student.build(again)
    (again / "stale.txt").write_text("left from an earlier build")
    make_student.build(again)
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file()) == files
    for path in files:
        assert (again / path).read_bytes() == (out / path).read_bytes(), path


def test_refuses_to_delete_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "notes.txt").write_text("someone's work")
    with pytest.raises(ValueError, match="not a student copy"):
        make_student.build(tmp_path)
    with pytest.raises(ValueError, match="published notebooks"):
        make_student.build(NOTEBOOKS)
    assert (tmp_path / "notes.txt").exists()


def test_a_solution_block_inside_a_cell_leaves_the_next_exercise():
    source = "<details><summary>Solution</summary>\n\n```python\nmy_x = 1\n```\n</details>\n\n**2. Next.** Do it."
    assert make_student.without_solutions(source) == ("**2. Next.** Do it.", 1)
    assert make_student.without_solutions("Intro.\n\n" + source) == ("Intro.\n\n**2. Next.** Do it.", 1)
    assert make_student.without_solutions("No solution here.") == ("No solution here.", 0)


@pytest.mark.parametrize("name", ["00-index.ipynb"] + LESSONS)
def test_no_binder_link_opens_the_published_notebooks(built, name):
    """Binder opens the published notebooks, solutions included: the copies have no Binder badge,
    and their navigation keeps its other links."""
    out, _ = built
    student = nbformat.read(out / name, as_version=4)
    assert "mybinder.org" not in nbformat.writes(student)
    for cell in student.cells:
        if "navigation" in cell.metadata.get("tags", []):
            assert "[Contents](00-index.ipynb)" in cell.source
        if cell.source.startswith("<!--CONTENTS-->"):
            rows = [line for line in cell.source.splitlines() if line.startswith("|")]
            assert len(rows) == 2 + len(LESSONS) and all(row.count("|") == 3 for row in rows), rows
