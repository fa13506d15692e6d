# The math of recurrent neural networks, verified.
#
#   make lab        set up .venv if needed, then start JupyterLab on the notebooks
#   make test       set up .venv if needed, then unit tests and nbval on every notebook
#   make notebooks  (authors) re-execute every notebook in place, in a fresh kernel
#   make lock       (authors) re-resolve requirements.in into requirements.lock
#
# The only prerequisites are make and Python 3.10 to 3.13 with its venv module.
# Pick another interpreter with PYTHON, e.g. `make test PYTHON=python3.12`.

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
# Written last by a successful set-up; older than the lock means re-create .venv.
STAMP := $(VENV)/.installed-from-lock
# Extra options for `make lab`, e.g. LAB_ARGS=--no-browser, or --allow-root in a container.
LAB_ARGS ?=
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab test notebooks nav lock venv clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml tools/jupyterlab/overrides.json
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 13) else "This course needs Python 3.10 to 3.13 (the versions TensorFlow 2.21 has wheels for); $(PYTHON) is %d.%d. Run make with PYTHON=python3.11, say." % v)'
	rm -rf $(VENV)
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV) with '$(PYTHON) -m venv'. On Debian or Ubuntu: sudo apt install python3-venv" >&2; rm -rf $(VENV); exit 1; }
	$(VPY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(VPY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(VPY) -m pip check
	@# JupyterLab defaults for the course: no news or update checks over the network.
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp tools/jupyterlab/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks notebooks/00-index.ipynb $(LAB_ARGS)

test: $(STAMP)
	$(VPY) -m pytest $(NBVAL) tests notebooks

notebooks: $(STAMP)
	$(VPY) tools/notebook_nav.py
	$(VPY) tools/execute_notebooks.py

nav: $(STAMP)
	$(VPY) tools/notebook_nav.py

# uv resolves one lock for every platform and Python version; it is an
# author's tool, so it gets a throw-away environment of its own.
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	.venv-lock/bin/uv pip compile --quiet --universal --fork-strategy fewest --python-version 3.10 \
		requirements.in -o requirements.lock
	$(PYTHON) tools/sync_environments.py

clean:
	rm -rf $(VENV) .venv-lock
