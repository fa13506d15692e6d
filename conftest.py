"""pytest's set-up for the whole checkout (tests/conftest.py holds the unit tests' fixtures)."""


def pytest_collection_modifyitems(session, config, items):
    """After each exercise cell that nbval runs, check the exercise's published solution in the
    same kernel (tests/nbval_solutions.py)."""
    from tests.nbval_solutions import add_solution_checks

    add_solution_checks(items)
