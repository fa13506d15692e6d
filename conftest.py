"""pytest's set-up for the whole checkout (tests/conftest.py holds the unit tests' fixtures)."""


import functools
import pathlib


def pytest_collection_modifyitems(session, config, items):
    """After each exercise cell that nbval runs, check the exercise's published solution in the
    same kernel (tests/nbval_solutions.py); then put the slowest work first."""
    from tests.nbval_solutions import add_solution_checks

    add_solution_checks(items)
    items.sort(key=_expected_cost, reverse=True)  # stable: each file's items keep their order


def _expected_cost(item):
    """Notebooks that train models, then the other notebooks, then unit test files, larger first.

    make test runs pytest-xdist with --no-loadscope-reorder, so whole files are handed to
    the workers in this order: the long notebooks start at once, instead of last, when
    the other worker would sit idle.
    """
    return _file_cost(pathlib.Path(str(item.path)))


@functools.cache
def _file_cost(path):
    if path.suffix == ".ipynb":
        return 1 + path.read_text().count(".fit(")
    return path.stat().st_size / 1e6  # under 1: after every notebook
