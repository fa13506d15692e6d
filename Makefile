# The math of recurrent neural networks, verified.
#
#   make            print this table of targets
#   make lab        set up .venv if needed, then start JupyterLab on the notebooks
#   make test       set up .venv if needed, then unit tests and nbval on every notebook
#   make test-browser  every notebook run, presented and its widgets moved in JupyterLab under headless
#                   Chromium; then every page of the static site checked offline and with axe-core
#   make venv       set up .venv only
#   make student    (teachers) write student/: every notebook with its exercises' solutions removed
#   make html       (teachers) write site/: one web page per notebook, from the stored outputs; needs no network
#   make hub-link HUB=https://hub.example.edu  (teachers) print the link that puts the course on a JupyterHub
#   make nav        (authors) rewrite the contents, navigation links, slide types and README tables
#   make notebooks  (authors) make nav, then re-execute every notebook in place
#   make lock       (authors) re-resolve requirements.in into requirements.lock
#   make test-keras-next  (authors) the unit tests against the newest Keras build (not the pinned one)
#   make clean      delete the environments .venv and .venv-keras-next (only ever a virtual environment)
#
# The only prerequisites are make and a Python that pyproject.toml's
# requires-python allows, with its venv module. Pick another interpreter with
# PYTHON, e.g. `make test PYTHON=python3.12`; .venv is then re-created for it.

PYTHON ?= python3
VENV ?= .venv
VPY := $(VENV)/bin/python
# Extra options for `make lab`, e.g. LAB_ARGS=--no-browser.
LAB_ARGS ?=
# The folder `make lab` serves: the lessons, or the student copies (make lab LAB_ROOT=student).
LAB_ROOT ?= notebooks
# Extra options for pytest, e.g. PYTEST_ARGS="-k lstm" or PYTEST_ARGS="-n 0" for one process.
PYTEST_ARGS ?=
# Which notebooks `make test-browser` runs, e.g. BROWSER_NOTEBOOKS="01 04" (default: every one).
BROWSER_NOTEBOOKS ?=
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: help lab test test-browser test-keras-next student html hub-link notebooks nav lock venv clean have-python

# The first rule, so plain `make` runs it: the table at the top of this file.
help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

have-python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: no '$(PYTHON)' on this machine. Install Python (see README.md for the versions), or name one with PYTHON=..., e.g. make test PYTHON=python3.12" >&2; exit 1; }

# tools/bootstrap.py decides what is needed: nothing, a `uv pip sync` when the
# lock changed, or a new .venv when PYTHON is another version than .venv's.
venv: have-python
	@$(PYTHON) tools/bootstrap.py --venv $(VENV)

# Jupyter refuses to run as root unless told to, and a container's default
# user is root; the server still listens on 127.0.0.1 only, with its token.
lab: venv
	@[ -f $(LAB_ROOT)/00-index.ipynb ] || { echo "make lab: $(LAB_ROOT)/00-index.ipynb does not exist (for student copies, run make student first)" >&2; exit 1; }
	@if [ "$$(id -u)" = 0 ]; then \
		echo "make lab: running as root (a container's default user, say), so adding --allow-root, without which Jupyter refuses to start; it still listens on 127.0.0.1 only, behind its token."; \
		root=--allow-root; \
	fi; \
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(LAB_ROOT) $(LAB_ROOT)/00-index.ipynb $$root $(LAB_ARGS)

# Every core: pytest-xdist runs one worker per core; loadscope keeps each
# notebook's cells together, in one kernel, in order, and the files go out in
# the order conftest.py sorts them: longest first, by the seconds each took when
# measured (benchmarks/file_seconds.json, which `benchmarks/suite_time.py
# --write-costs` rewrites), so that the workers finish together. TensorFlow and
# NumPy's OpenBLAS run on one thread in each worker and kernel: with one process
# per core, their own thread pools would only fight over the cores (OpenBLAS's
# threads, waiting on a busy core at every small product, made notebook 02's
# timing cell take 8.7 s instead of 0.8 s).
test: venv
	TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 OPENBLAS_NUM_THREADS=1 $(VPY) -m pytest -n auto --dist loadscope --no-loadscope-reorder $(NBVAL) $(PYTEST_ARGS) tests notebooks

# A learner's view, which nbval cannot give: JupyterLab (as `make lab` starts it, over a
# temporary copy of notebooks/) under headless Chromium; every notebook opened from the
# contents, run with Run All, and every widget's controls moved and checked against rnnlib.
# Needs a Chromium: Debian's (apt-get install chromium) or Playwright's (see README.md).
# Then the static site: every page opened from the disk with the network shut, and checked with
# axe-core against WCAG 2.1 A and AA (tools/site_check.py).
test-browser: venv
	$(VPY) tools/browser_test.py $(BROWSER_NOTEBOOKS)
	$(VPY) tools/site_check.py $(BROWSER_NOTEBOOKS)

# Student copies for a class: student/ (git-ignored) holds every notebook with each
# exercise's Solution block removed and its checker kept; tests/test_student.py checks them.
student: venv
	$(VPY) tools/make_student.py

# A static site that needs no network (its math is MathML, made here); open site/index.html.
# Made from the stored outputs, nothing is run; tests/test_site.py checks every page and link.
html: venv
	$(VPY) tools/make_site.py

# The nbgitpuller link that clones the course onto a JupyterHub and opens its contents.
HUB ?=
hub-link: venv
	@$(VPY) tools/notebook_nav.py --hub-link "$(HUB)"

# Does rnnlib still agree with the Keras that comes next? A second environment,
# .venv-keras-next, holds the lock with Keras replaced by the newest keras-nightly,
# the daily build of Keras's main branch (deliberately unpinned), and runs the
# unit tests there; the notebooks' stored outputs belong to the pinned Keras.
KERAS_NEXT := .venv-keras-next
test-keras-next: have-python
	@$(PYTHON) tools/bootstrap.py --venv $(KERAS_NEXT)
	$(KERAS_NEXT)/bin/uv pip uninstall --quiet --python $(KERAS_NEXT)/bin/python keras keras-nightly
	$(KERAS_NEXT)/bin/uv pip install --quiet --python $(KERAS_NEXT)/bin/python --upgrade keras-nightly
	@$(KERAS_NEXT)/bin/python -c 'import keras; print("testing against Keras", keras.__version__)' 2>/dev/null
	TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 $(KERAS_NEXT)/bin/python -m pytest -n auto $(PYTEST_ARGS) tests

notebooks: venv
	$(VPY) tools/notebook_nav.py
	$(VPY) tools/slides.py
	$(VPY) tools/execute_notebooks.py

nav: venv
	$(VPY) tools/notebook_nav.py
	$(VPY) tools/slides.py

# uv (pinned in the lock) resolves one lock for every platform and every
# Python that pyproject.toml allows.
lock: venv
	$(VENV)/bin/uv pip compile --quiet --universal --fork-strategy fewest \
		--python-version $$($(PYTHON) tools/bootstrap.py --python-range | cut -d' ' -f1) \
		requirements.in -o requirements.lock
	$(VPY) tools/sync_environments.py
	@$(PYTHON) tools/bootstrap.py --venv $(VENV)

clean: have-python
	@$(PYTHON) tools/bootstrap.py --venv $(VENV) --remove
	@$(PYTHON) tools/bootstrap.py --venv $(KERAS_NEXT) --remove
