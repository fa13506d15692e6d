"""What the browser checks stand on: a Chromium, JupyterLab started by `make lab`, and its kernels.

tools/browser_test.py (every lesson, as `make test-browser` runs it), tools/browser_slides.py (an
author's quick look at a lesson's slides) and tools/site_check.py (the static site) use it.
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import websocket  # websocket-client, in the lock with Jupyter's server

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CONTENTS = "00-index.ipynb"
FAILURES = ROOT / "browser-failures"
SCREENSHOTS = ROOT / "browser-screenshots"
DEBIAN_CHROMIUM = Path("/usr/lib/chromium/chromium")  # the real binary; /usr/bin/chromium is a wrapper script
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NO_CHROMIUM = f"""no Chromium found; install one of:
  Debian's:     apt-get install chromium      (its binary is {DEBIAN_CHROMIUM})
  Playwright's: .venv/bin/python -m playwright install chromium"""
VIEWPORT = {"width": 1400, "height": 900}


class Failure(Exception):
    """A check that failed; `step` names it, and the failure screenshot after it."""

    def __init__(self, step, message):
        super().__init__(message)
        self.step = step


def chromium(playwright):
    """A headless Chromium: Debian's if it is installed, else the one Playwright downloaded.
    Exits with status 2 and says how to get one when there is none."""
    own = Path(playwright.chromium.executable_path)
    executable = DEBIAN_CHROMIUM if DEBIAN_CHROMIUM.exists() else own if own.exists() else None
    if executable is None:
        print(NO_CHROMIUM, file=sys.stderr)
        sys.exit(2)
    return playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)


def free_port():
    """A TCP port that nothing listens on right now (the operating system picks one for port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def jupyter_lab(root_dir, state_dir):
    """`make lab` on root_dir, headless, on a free port with its own token, settings and workspace;
    yield (base URL, token); always stop it and its kernels."""
    port, token = free_port(), secrets.token_hex(24)
    base = f"http://127.0.0.1:{port}"
    # A learner's own settings and open tabs (in ~/.jupyter) stay out of the test; the course's
    # settings, installed in the environment, still apply.
    options = (f"--no-browser --ServerApp.port={port} --IdentityProvider.token={token} "
               f"--LabApp.user_settings_dir={state_dir / 'user-settings'} "
               f"--LabApp.workspaces_dir={state_dir / 'workspaces'}")
    environment = Path(sys.prefix).relative_to(ROOT)  # the environment running this: make's VENV
    log_path = state_dir / "jupyterlab.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(["make", "--no-print-directory", "-C", str(ROOT), "lab", f"VENV={environment}",
                                   f"LAB_ROOT={root_dir}", f"LAB_ARGS={options}"],
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for_server(server, base, token, log_path)
            yield base, token
        finally:
            stop_lab(server, base, token)


def api(base, token, path, method="GET"):
    """One call to the Jupyter server's REST API; returns the decoded JSON (or None)."""
    request = urllib.request.Request(f"{base}{path}", method=method,
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def wait_for_server(server, base, token, log_path, timeout=90):
    """Poll /api/status until the server answers (no browser to wait with yet)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"make lab exited with {server.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            api(base, token, "/api/status")
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer on {base} within {timeout} s:\n{log_path.read_text()[-3000:]}")


def stop_lab(server, base, token):
    """Shut every kernel down through the API, then make and JupyterLab (their process group)."""
    try:
        for kernel in api(base, token, "/api/kernels"):
            api(base, token, f"/api/kernels/{kernel['id']}", method="DELETE")
    except OSError:
        pass  # the server is gone already; its kernels went with its shutdown
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # JupyterLab shuts any remaining kernel down itself
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def run_in_kernel(base, token, notebook, code, timeout=60):
    """Run `code` in the kernel of the open notebook named `notebook` (its own session, beside the
    browser's); return what it printed on stdout. An error in the code is a Failure."""
    kernel = next((s["kernel"]["id"] for s in api(base, token, "/api/sessions")
                   if Path(s["path"]).name == notebook), None)
    if kernel is None:
        raise Failure("report", f"no kernel runs {notebook}")
    channel = websocket.create_connection(f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel}/channels"
                                          f"?token={token}", timeout=timeout)
    message_id = uuid.uuid4().hex
    header = {"msg_id": message_id, "msg_type": "execute_request", "session": uuid.uuid4().hex,
              "username": "browser_test", "version": "5.3", "date": ""}
    channel.send(json.dumps({"channel": "shell", "header": header, "parent_header": {}, "metadata": {},
                             "content": {"code": code, "silent": False, "store_history": False,
                                         "user_expressions": {}, "allow_stdin": False}}))
    printed, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            message = json.loads(channel.recv())
            if message.get("parent_header", {}).get("msg_id") != message_id:
                continue  # the browser's own traffic
            kind, content = message["header"]["msg_type"], message["content"]
            if kind == "stream" and content["name"] == "stdout":
                printed.append(content["text"])
            elif kind == "error":
                raise Failure("report", f"`{code}` failed in the kernel: {content['ename']}: {content['evalue']}")
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(printed)
    finally:
        channel.close()
    raise Failure("report", f"`{code}` did not finish within {timeout} s")


def shot_path(stem, name):
    """browser-screenshots/<stem>/<name>, its folder made."""
    path = SCREENSHOTS / stem / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def scroll_to(element):
    """Scroll an element into view and wait until it stops moving (cells above it are laid out
    only when they come near the view, and may grow then)."""
    box, previous = None, False
    while box != previous:
        element.scroll_into_view_if_needed()
        element.page.wait_for_timeout(100)
        previous, box = box, element.bounding_box()
