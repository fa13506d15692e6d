"""How rnnlib is written: short functions, and Keras internals in one module only."""

import ast
import pathlib

import pytest

RNNLIB = pathlib.Path(__file__).resolve().parent.parent / "rnnlib"
MODULES = sorted(RNNLIB.glob("*.py"))


def functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def body_lines(node):
    """A function's lines, its docstring aside."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        docstring = body[0]
        return (node.end_lineno - node.lineno + 1) - (docstring.end_lineno - docstring.lineno + 1)
    return node.end_lineno - node.lineno + 1


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_function_is_longer_than_40_lines(path):
    tree = ast.parse(path.read_text())
    long = [(f.name, body_lines(f)) for f in functions(tree) if body_lines(f) > 40]
    assert not long, f"{path.name}: functions over 40 lines (docstring aside): {long}"


def test_only_the_keras_adapter_uses_private_keras_apis():
    # Keras's private parts: its keras.src package and underscore attributes of its objects.
    for path in MODULES:
        text = path.read_text()
        private = "keras.src" in text or "._run_through_graph" in text or "._layers" in text
        assert not private or path.name == "keras_adapter.py", f"{path.name} uses a private Keras API"
    assert "._run_through_graph" in (RNNLIB / "keras_adapter.py").read_text()


def test_no_function_is_defined_in_two_modules():
    where = {}
    for path in MODULES:
        for f in functions(ast.parse(path.read_text())):
            if not f.name.startswith("__"):
                where.setdefault(f.name, set()).add(path.name)
    twice = {name: sorted(paths) for name, paths in where.items() if len(paths) > 1}
    assert not twice, f"functions defined in more than one rnnlib module: {twice}"
