"""The lock, the conda file and the Binder files must install the same versions."""

import pathlib
import re
import subprocess
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)==(?P<version>[^\s;]+)\s*(;\s*(?P<marker>.+))?$")


def parse_pins(lines, source):
    """{(name, marker): version} from requirement lines; every line must be an exact pin."""
    pins = {}
    for line in lines:
        match = PIN.match(line.strip())
        assert match, f"{source}: {line!r} is not pinned exactly (name==version)"
        key = (match["name"].lower().replace("_", "-"), (match["marker"] or "").replace('"', "'"))
        pins[key] = match["version"]
    return pins


def lock_pins():
    lines = [ln for ln in (ROOT / "requirements.lock").read_text().splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    return parse_pins(lines, "requirements.lock")


def conda_pins(path):
    env = yaml.safe_load(path.read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    local = [r for r in pip_section if r.startswith("-e") or r.startswith(".")]
    pins = parse_pins([r for r in pip_section if r not in local], path.name)
    return env, pins, local


def test_lock_pins_every_package_exactly():
    pins = lock_pins()
    names = {name for name, _ in pins}
    for required in ["keras", "numpy", "matplotlib", "ipywidgets", "jupyterlab", "nbval", "pytest", "tensorflow-cpu", "tensorflow"]:
        assert required in names
    tensorflow = {v for (n, _), v in pins.items() if n in ("tensorflow", "tensorflow-cpu")}
    assert len(tensorflow) == 1, f"one TensorFlow for every platform (CPU wheel or full): {tensorflow}"
    numpy = [v for (n, _), v in pins.items() if n == "numpy"]
    assert len(numpy) == 1 and numpy[0].startswith("2."), "one NumPy 2.x for every platform"


def test_direct_pins_in_requirements_in_match_the_lock():
    lines = [ln.split("#")[0].strip() for ln in (ROOT / "requirements.in").read_text().splitlines()]
    direct = parse_pins([ln for ln in lines if ln], "requirements.in")
    lock = lock_pins()
    for (name, marker), version in direct.items():
        in_lock = {v for (n, _), v in lock.items() if n == name}
        assert in_lock == {version}, f"{name}: requirements.in says {version}, the lock {in_lock}"


@pytest.mark.parametrize("path", [ROOT / "environment.yml", ROOT / "binder" / "environment.yml"], ids=lambda p: str(p.relative_to(ROOT)))
def test_environment_files_pin_what_the_lock_pins(path):
    env, pins, local = conda_pins(path)
    assert pins == lock_pins(), f"{path.name} and requirements.lock disagree: run make lock"
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python=")]
    assert python == [f"python={python_range()[0]}"], "conda's interpreter is the lowest Python pyproject.toml allows"
    if path.parent.name == "binder":
        assert not local, "Binder builds its environment before the repository is there: no local paths"
    else:
        assert local == ["-e ."]


def python_range():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "bootstrap.py"), "--python-range"],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def test_the_readme_states_the_pythons_that_pyproject_allows():
    low, high = python_range()
    readme = (ROOT / "README.md").read_text()
    assert f"Python {low} to {high}" in readme, "the README states pyproject.toml's range"
    # tools/bootstrap.py (make's set-up) and tools/sync_environments.py (the conda files) read the
    # range from pyproject.toml; the README states it for people, and must agree.


def test_generated_files_are_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "sync_environments.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
