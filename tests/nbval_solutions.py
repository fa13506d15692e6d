"""Every exercise's published solution passes its checker, in the kernel nbval already runs.

nbval (run by `make test`) executes each notebook's code cells in order in one
kernel. Right after each exercise cell it now also runs a check item: the
solution's code from the markdown below the exercise (the
`<details><summary>Solution</summary>` block), then the exercise cell again
without its `my_... = None` lines. Every line that the checkers print must
start with "Correct". The notebook is executed once, and each solution sees
exactly the state that a learner's answer would see.
"""

import nbformat
from nbval.plugin import IPyNbCell, IPyNbFile, NbCellError

from tools.lesson_format import CODE, OPEN, SOLUTION


def solutions(nb):
    """[(index of the exercise's code cell among the code cells, the code to run)] in order.

    The solution to an exercise is the code in the Solution block of the
    markdown cell that follows its code cell.
    """
    found, code_index, exercise = [], -1, None
    for cell in nb.cells:
        if cell.cell_type == "code":
            code_index += 1
            exercise = (code_index, cell.source) if OPEN.search(cell.source) else None
            continue
        for details in SOLUTION.findall(cell.source):
            if exercise is None:
                raise ValueError(f"a Solution block must follow its exercise's code cell: {details[:80]!r}")
            code = "\n".join(CODE.findall(details))
            if not code.strip():
                raise ValueError(f"a Solution block gives its answer as ```python code: {details[:80]!r}")
            found.append((exercise[0], code + "\n" + OPEN.sub("", exercise[1])))
            exercise = None
    return found


class SolutionCheck(IPyNbCell):
    """Runs a published solution in the notebook's kernel; every checker line must say Correct."""

    def runtest(self):
        super().runtest()  # runs the code; an exception in it fails here
        printed = "".join(o.get("text", "") for o in self.test_outputs if o.get("output_type") == "stream")
        lines = [line for line in printed.splitlines() if line.strip()]
        if not lines or not all(line.startswith("Correct") for line in lines):
            raise NbCellError(self.cell_num, "The published solution does not pass its checker:\n" + printed,
                              self.cell.source)


def add_solution_checks(items):
    """Insert a SolutionCheck after each exercise cell of every notebook nbval collected."""
    out = []
    by_cell = {}
    for item in items:
        if isinstance(item, IPyNbCell) and isinstance(item.parent, IPyNbFile):
            notebook = item.parent
            if notebook not in by_cell:
                nb = nbformat.read(str(notebook.path), as_version=4)
                by_cell[notebook] = {}
                for index, code in solutions(nb):
                    by_cell[notebook].setdefault(index, []).append(code)
        out.append(item)
        if isinstance(item, IPyNbCell) and not isinstance(item, SolutionCheck):
            for number, code in enumerate(by_cell.get(item.parent, {}).get(item.cell_num, []), 1):
                cell = nbformat.v4.new_code_cell(code)
                options = {"check": False, "skip": False, "check_exception": False}
                out.append(SolutionCheck.from_parent(item.parent, name=f"{item.name} solution",
                                                     cell_num=item.cell_num, cell=cell, options=options))
    items[:] = out
