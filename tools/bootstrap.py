"""Create or bring up to date the course's virtual environment, .venv.

    python3 tools/bootstrap.py            # what `make venv` (and so make lab / make test) runs
    python3 tools/bootstrap.py --remove   # what `make clean` runs

It removes or re-creates only a virtual environment (a folder holding
pyvenv.cfg) inside this checkout: VENV=notebooks, say, is refused and
nothing is touched.
    python3 tools/bootstrap.py --python-range   # prints e.g. "3.11 3.13"

The supported Pythons are written in one place, pyproject.toml's
`requires-python`; this script reads them from there. It does only what is
needed:
  - .venv is created when it is missing, and re-created when it was made
    with another Python version than the interpreter running this script
    (`make test PYTHON=python3.12` after a 3.11 set-up);
  - the lock is installed with `uv pip sync` (exactly the pinned versions,
    and anything not in the lock removed) when requirements.lock has changed
    since the last set-up, never otherwise;
  - rnnlib is (re)installed, editable, when that happened or pyproject.toml
    changed; the course's JupyterLab settings are copied when they changed.
uv itself is pinned in the lock; pip bootstraps that version into .venv once.

This file avoids syntax newer than Python 3.6, so that an older interpreter
still gets the clear message below instead of a SyntaxError.
"""

import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCK = os.path.join(ROOT, "requirements.lock")
PYPROJECT = os.path.join(ROOT, "pyproject.toml")
STATE = ".course-setup.json"  # inside the venv: what the last successful set-up installed


def python_range():
    """(lowest, highest) supported (major, minor), from pyproject.toml's requires-python.

    It must read '>=3.A,<3.B' (B is the first version not supported).
    """
    text = open(PYPROJECT).read()
    match = re.search(r'^requires-python\s*=\s*">=\s*3\.(\d+)\s*,\s*<\s*3\.(\d+)"', text, re.M)
    if not match:
        sys.exit("pyproject.toml: requires-python must read \">=3.A,<3.B\"; tools/bootstrap.py reads it")
    return (3, int(match.group(1))), (3, int(match.group(2)) - 1)


def say(message):
    print("[set-up] " + message, flush=True)


def run(*command):
    say(" ".join(command))
    subprocess.check_call(list(command), cwd=ROOT)


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def checked_venv_path(venv):
    """The venv's absolute path, refusing anything that is not a folder inside this checkout."""
    path = os.path.realpath(os.path.join(ROOT, venv))
    root = os.path.realpath(ROOT)
    if os.path.dirname(path) == path or not path.startswith(root + os.sep):
        sys.exit("VENV must be a folder inside this checkout ({}); got {!r}, which resolves to {}. "
                 "Refusing to create or delete it.".format(root, venv, path))
    return path


def is_venv(path):
    """True for a virtual environment: a folder holding pyvenv.cfg (what `python -m venv` writes first)."""
    return os.path.isdir(path) and not os.path.islink(path) and os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def refuse_unless_venv(venv, path):
    """Stop unless `path` is missing, an empty folder, or a virtual environment.

    Set-up removes and re-creates the folder that VENV names; a mistyped VENV=notebooks must not
    cost a teacher the notebooks, so any other folder or file is left exactly as it is.
    """
    if not os.path.lexists(path) or is_venv(path) or (os.path.isdir(path) and not os.path.islink(path)
                                                      and not os.listdir(path)):
        return
    sys.exit("VENV={} is not a virtual environment (no pyvenv.cfg); nothing was removed. "
             "Name a new folder, or the environment's own (the default is .venv).".format(venv))


def remove(path):
    if os.path.lexists(path):
        say("removing " + os.path.relpath(path, ROOT))
        shutil.rmtree(path)


def venv_python_version(path):
    """The 'major.minor' recorded in the venv's pyvenv.cfg, or None if there is no usable venv."""
    cfg = os.path.join(path, "pyvenv.cfg")
    if not os.path.exists(os.path.join(path, "bin", "python")) or not os.path.exists(cfg):
        return None
    for line in open(cfg):
        key, _, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            return ".".join(value.strip().split(".")[:2])
    return None


def create(path):
    try:
        import venv  # noqa: F401
        import ensurepip  # noqa: F401
    except ImportError:
        sys.exit("{} has no working venv module, so it cannot create {}. On Debian or Ubuntu: "
                 "sudo apt install python3-venv (or python{}.{}-venv).".format(
                     sys.executable, os.path.relpath(path, ROOT), *sys.version_info[:2]))
    say("creating {} with Python {}".format(os.path.relpath(path, ROOT), sys.version.split()[0]))
    if subprocess.call([sys.executable, "-m", "venv", path]) != 0:
        remove(path)
        sys.exit("Could not create {} with '{} -m venv'. On Debian or Ubuntu: sudo apt install python3-venv"
                 .format(os.path.relpath(path, ROOT), sys.executable))


def lock_pin(name):
    for line in open(LOCK):
        match = re.match(r"^{}==([^\s;]+)".format(re.escape(name)), line)
        if match:
            return match.group(1)
    sys.exit("requirements.lock pins no {}; add it to requirements.in and run make lock".format(name))


def ensure_uv(path):
    """The path of the venv's uv. A venv without one gets the lock's version from the venv's pip;
    one that has uv keeps it, and `uv pip sync` then puts in the version the lock pins."""
    uv = os.path.join(path, "bin", "uv")
    if not os.path.exists(uv):
        run(os.path.join(path, "bin", "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--no-deps", "uv==" + lock_pin("uv"))
    return uv


def read_state(path):
    try:
        return json.load(open(os.path.join(path, STATE)))
    except (OSError, ValueError):
        return {}


def setup(venv):
    low, high = python_range()
    here = sys.version_info[:2]
    if not low <= here <= high:
        sys.exit("This course needs Python {}.{} to {}.{} (pyproject.toml's requires-python: the versions "
                 "TensorFlow has wheels for, less those past their end of life); {} is {}.{}. "
                 "Run make with PYTHON=python{}.{}, say."
                 .format(*(low + high + (sys.executable,) + here + low)))
    path = checked_venv_path(venv)
    refuse_unless_venv(venv, path)
    wanted = "{}.{}".format(*here)
    found = venv_python_version(path)
    if found != wanted:
        if is_venv(path):
            say("{} was made with Python {}, but {} is Python {}: re-creating it".format(
                venv, found or "(unknown, or it is broken)", sys.executable, wanted))
            remove(path)
        create(path)
    state = read_state(path)
    python = os.path.join(path, "bin", "python")
    lock, project = digest(LOCK), digest(PYPROJECT)
    env = dict(os.environ, VIRTUAL_ENV=path)
    if state.get("lock") != lock:
        uv = ensure_uv(path)
        say("installing requirements.lock into {} with uv pip sync".format(venv))
        # --compile-bytecode: Python then never compiles TensorFlow's thousands of modules again at
        # import (where PYTHONDONTWRITEBYTECODE is set, it would at every import: 12 s instead of 4).
        subprocess.check_call([uv, "pip", "sync", "--quiet", "--compile-bytecode", "--python", python, LOCK],
                              cwd=ROOT, env=env)
        state = {"python": wanted}  # everything below must follow the new lock
    if state.get("pyproject") != project or not glob.glob(os.path.join(path, "lib", "python*", "site-packages",
                                                                      "rnnlib-*.dist-info")):
        say("installing rnnlib from this checkout (editable)")
        subprocess.check_call([os.path.join(path, "bin", "uv"), "pip", "install", "--quiet", "--python", python,
                               "--no-deps", "--no-build-isolation", "-e", ROOT], cwd=ROOT, env=env)
    subprocess.check_call([python, os.path.join(ROOT, "tools", "lab_settings.py"), "--quiet"], cwd=ROOT)
    state.update(python=wanted, lock=lock, pyproject=project)
    with open(os.path.join(path, STATE), "w") as f:
        json.dump(state, f, indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", default=".venv", help="the environment's folder, inside this checkout")
    parser.add_argument("--remove", action="store_true", help="delete the environment")
    parser.add_argument("--python-range", action="store_true", help="print the lowest and highest supported Python")
    args = parser.parse_args()
    if args.python_range:
        low, high = python_range()
        print("{}.{} {}.{}".format(*(low + high)))
    elif args.remove:
        path = checked_venv_path(args.venv)
        refuse_unless_venv(args.venv, path)
        remove(path)
    else:
        setup(args.venv)


if __name__ == "__main__":
    main()
