"""How long each lesson takes, and how much of its code only checks: the numbers behind "lean".

    python tools/lesson_stats.py                 # a table for every lesson
    python tools/lesson_stats.py --json          # the same numbers as JSON
    python tools/lesson_stats.py notebooks/05-*  # some lessons

For each lesson's main path (every cell before a `## Going deeper` section):
  - words: the prose of its markdown cells, navigation cells and folded Solution blocks left out;
  - code: the non-blank, non-comment lines of its code cells, exercise cells left out;
  - checks: those of them that only verify: `assert` and `np.testing` statements, and statements
    whose results nothing but a check reads (found by following names through the notebook);
  - visible: the same two counts over the cells a slide shows (not skipped, input not collapsed);
  - slides and exercises;
  - minutes = words / 120 + teaching lines / 6 + check lines / 20 + 6 per exercise,
    the reading rates that the lean-lessons issue estimated the course with.
"""

import argparse
import ast
import json
import pathlib
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python tools/lesson_stats.py`, sys.path[0] is tools/
    sys.path.insert(0, str(ROOT))

from tools.lesson_format import SOLUTION, is_exercise, is_navigation, is_visible, main_path  # noqa: E402

WORDS_PER_MINUTE, TEACHING_LINES_PER_MINUTE, CHECK_LINES_PER_MINUTE, MINUTES_PER_EXERCISE = 120, 6, 20, 6
def prose_words(cell):
    return len(SOLUTION.sub("", cell.source).split())  # a folded Solution is the exercise's time


def _is_check_call(node):
    """np.testing.assert_*(...) or any call to a function whose name starts with assert."""
    if not isinstance(node, ast.Call):
        return False
    name = ast.unparse(node.func)
    return name.startswith("np.testing.") or name.split(".")[-1].startswith("assert")


def _names(node, context):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, context)}


def statements(cell):
    """The cell's top-level statements; a cell that does not parse (IPython magics) has none."""
    try:
        return ast.parse(cell.source).body
    except SyntaxError:
        return []


def is_plain_check(statement):
    """An assert, a check call, or an if/for/with block of nothing else."""
    if isinstance(statement, ast.Assert):
        return True
    if isinstance(statement, ast.Expr) and _is_check_call(statement.value):
        return True
    if isinstance(statement, (ast.If, ast.For, ast.With)):
        body = statement.body + getattr(statement, "orelse", [])
        return bool(body) and all(is_plain_check(s) for s in body)
    return False


def check_statements(parsed):
    """The ids of the statements that only verify, over the code cells' parsed statements.

    A statement verifies if it is an assert or a check call; an if/for/with block verifies if all its
    statements do; an assignment verifies if every name it binds is read only by statements that verify.
    """
    every = [(i, s) for i, body in enumerate(parsed) for s in body]

    checks = {id(s) for _, s in every if is_plain_check(s)}
    changed = True
    while changed:  # an assignment read only by checks is a check too; repeat until nothing changes
        changed = False
        readers = {}
        for _, s in every:
            for name in _names(s, ast.Load):
                readers.setdefault(name, []).append(s)
        for _, s in every:
            if id(s) in checks or not isinstance(s, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                continue
            bound = _names(s, ast.Store)
            readers_of = [r for name in bound for r in readers.get(name, []) if r is not s]
            if bound and readers_of and all(id(r) in checks for r in readers_of):
                checks.add(id(s))
                changed = True
    return checks


def code_lines(cell, statements=None):
    """Non-blank, non-comment lines of a cell; with `statements`, only the lines inside them."""
    lines = cell.source.splitlines()
    wanted = range(len(lines))
    if statements is not None:
        wanted = {n for s in statements for n in range(s.lineno - 1, s.end_lineno)}
    return sum(1 for n in wanted if lines[n].strip() and not lines[n].strip().startswith("#"))


def stats(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in main_path(nb.cells) if not is_navigation(c)]
    code = [c for c in cells if c.cell_type == "code" and not is_exercise(c)]
    parsed = [statements(c) for c in code]
    checks = check_statements(parsed)
    out = dict(lesson=path.name[:2], words=0, code=0, checks=0, visible_code=0, visible_checks=0,
               slides=0, exercises=0)
    for cell in cells:
        if cell.cell_type == "markdown":
            out["words"] += prose_words(cell)
        out["slides"] += cell.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide")
        out["exercises"] += is_exercise(cell)
    for cell, body in zip(code, parsed):
        lines = code_lines(cell)
        check = code_lines(cell, [s for s in body if id(s) in checks])
        out["code"] += lines
        out["checks"] += check
        if is_visible(cell):
            out["visible_code"] += lines
            out["visible_checks"] += check
    teaching = out["code"] - out["checks"]
    out["minutes"] = round(out["words"] / WORDS_PER_MINUTE + teaching / TEACHING_LINES_PER_MINUTE
                           + out["checks"] / CHECK_LINES_PER_MINUTE + MINUTES_PER_EXERCISE * out["exercises"], 1)
    out["check_share"] = round(out["checks"] / max(out["code"], 1), 3)
    out["visible_check_share"] = round(out["visible_checks"] / max(out["visible_code"], 1), 3)
    return out


def lessons(paths=()):
    found = [pathlib.Path(p) for p in paths] or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    return [p for p in found if not p.name.startswith("00-")]


def table(rows):
    head = ("lesson", "words", "code", "checks", "share", "visible code", "visible checks", "visible share",
            "slides", "exercises", "minutes")
    keys = ("lesson", "words", "code", "checks", "check_share", "visible_code", "visible_checks",
            "visible_check_share", "slides", "exercises", "minutes")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        lines.append("| " + " | ".join(f"{row[k]:.0%}" if k.endswith("share") else str(row[k]) for k in keys) + " |")
    total = {k: sum(r[k] for r in rows) for k in keys[1:] if not k.endswith("share")}
    total.update(check_share=total["checks"] / max(total["code"], 1),
                 visible_check_share=total["visible_checks"] / max(total["visible_code"], 1), lesson="all")
    total["minutes"] = round(total["minutes"], 1)
    lines.append("| " + " | ".join(f"{total[k]:.0%}" if k.endswith("share") else str(total[k]) for k in keys) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = [stats(p) for p in lessons(args.paths)]
    print(json.dumps(rows, indent=1) if args.json else table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
