"""The solutions printed under each exercise really pass the exercise's checker.

Each lesson's code cells run in order in this process; at each exercise the
`my_... = None` lines are replaced by the solution's code, and the checker
must say "Correct". Every cell runs, widgets and timings included, since
later cells may use what they define (a training history, say).
"""

import contextlib
import io
import pathlib
import re

import matplotlib
import nbformat
import pytest

matplotlib.use("Agg")

ROOT = pathlib.Path(__file__).resolve().parent.parent
LESSONS = sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb") if not p.name.startswith("00-"))
SOLUTION = re.compile(r"<details><summary>Solution</summary>(.*?)</details>", re.S)
CODE = re.compile(r"```python\n(.*?)```", re.S)
OPEN = re.compile(r"^my_\w+ = None.*$", re.M)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_solution_passes_its_check(path, monkeypatch):
    monkeypatch.chdir(path.parent)  # notebooks read their data relative to their own folder, as Jupyter runs them
    nb = nbformat.read(path, as_version=4)
    namespace, exercise, verdicts = {}, None, []
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nb.cells:
            if cell.cell_type == "code":
                exec(compile(cell.source, f"{path.name} cell", "exec"), namespace)
                if OPEN.search(cell.source):
                    exercise = cell.source
                continue
            for details in SOLUTION.findall(cell.source):
                solution = "\n".join(CODE.findall(details))
                assert solution, "a solution gives its answer as code"
                assert exercise is not None, "a solution comes after its exercise"
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    exec(compile(solution + "\n" + OPEN.sub("", exercise), f"{path.name} solution", "exec"), namespace)
                verdicts.append(out.getvalue())
    exercises = sum(bool(OPEN.search(c.source)) for c in nb.cells if c.cell_type == "code")
    assert len(verdicts) == exercises >= 2, "every exercise has a solution in code"
    for verdict in verdicts:
        lines = [ln for ln in verdict.splitlines() if ln]
        assert lines and all(ln.startswith("Correct") for ln in lines), verdict
