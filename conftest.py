"""pytest's set-up for the whole checkout (tests/conftest.py holds the unit tests' fixtures)."""


import functools
import json
import math
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent
# Each test file's and notebook's seconds in one `make test` (setup, call and teardown of its
# items added up), the median of a few runs; `benchmarks/suite_time.py --write-costs` rewrites it.
MEASURED = ROOT / "benchmarks" / "file_seconds.json"


def pytest_collection_modifyitems(session, config, items):
    """After each exercise cell that nbval runs, check the exercise's published solution in the
    same kernel (tests/nbval_solutions.py); then put the slowest files first."""
    from tests.nbval_solutions import add_solution_checks

    add_solution_checks(items)
    items.sort(key=_expected_cost, reverse=True)  # stable: each file's items keep their order


def _expected_cost(item):
    """The seconds that the item's file took when last measured (MEASURED); a file not measured yet first.

    make test runs pytest-xdist with --dist loadscope --no-loadscope-reorder, so whole files are
    handed out in this order, each to the first worker that runs short of work: the longest
    first, as in longest-processing-time scheduling, so that the last files to start are short
    and the workers finish close together. A file with no measurement may be long (a new
    notebook that trains a model), and started first it can delay the others by at most its
    own time; started last, it could keep one worker busy alone for all of it.
    """
    path = pathlib.Path(str(item.path)).resolve()
    try:
        name = path.relative_to(ROOT).as_posix()
    except ValueError:  # a file outside the checkout, named on the command line
        return math.inf
    return _measured_seconds().get(name, math.inf)


@functools.cache
def _measured_seconds():
    try:
        return json.loads(MEASURED.read_text())["seconds"]
    except FileNotFoundError:
        return {}
