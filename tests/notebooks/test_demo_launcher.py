"""The README's main command: ``cyclr-widgets lab`` / ``scripts/demo.sh``.

Starts the launcher as a user would (its own process group, like a terminal's foreground job),
waits for the printed URL, checks JupyterLab and the sandbox answer and that the CYCLR_* variables
reach JupyterLab (whose kernels inherit them), then sends SIGINT (Ctrl-C) to the process group and
checks a clean exit 0 with nothing left running. Each variant runs twice in a row on the same port.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

if os.environ.get("CI", "").lower() == "true":
    # Under CI this test must run: a missing dependency is a broken install, not a skip.
    import jupyterlab  # noqa: F401
    import psutil
else:
    psutil = pytest.importorskip("psutil")
    pytest.importorskip("jupyterlab")

pytestmark = pytest.mark.kernel

REPO = Path(__file__).resolve().parents[2]
URL_RE = re.compile(r"(http://127\.0\.0\.1:(\d+)/lab(?:/tree/[\w.%-]+)?\?token=([A-Za-z0-9_\-]+))")
SANDBOX_RE = re.compile(r"Sandbox API:\s+(http://127\.0\.0\.1:\d+)")
# Bound of every wait below. Each wait ends on its signal (a printed line, an answer, a process
# appearing or exiting); the bound only catches a hang, so it is far above what a busy shared CI
# machine needs (and above the launcher's own 120 s start-up limit).
HANG_GUARD_S = 180.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env["CYCLR_DEMO_SKIP_INSTALL"] = "1"  # the test environment is already installed
    env["CYCLR_VENV"] = sys.prefix
    env.pop("DISPLAY", None)  # never open a real browser from a test
    env.pop("WAYLAND_DISPLAY", None)
    return env


def _reader(stream: object, q: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        q.put(line)


class Launched:
    def __init__(self, cmd: list[str]) -> None:
        self.proc = subprocess.Popen(
            cmd,
            cwd=str(REPO),
            env=_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, so killpg acts like a terminal ^C
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=_reader, args=(self.proc.stdout, self.lines), daemon=True).start()

    def wait_for(self, pattern: re.Pattern[str], timeout: float = HANG_GUARD_S) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.output:
                m = pattern.search(line)
                if m:
                    return m
            try:
                self.output.append(self.lines.get(timeout=0.5))
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
        self.drain()
        raise AssertionError(f"{pattern.pattern!r} not printed; output:\n{self.text()}")

    def drain(self) -> None:
        while True:
            try:
                self.output.append(self.lines.get_nowait())
            except queue.Empty:
                return

    def text(self) -> str:
        return "".join(self.output)

    def kill(self) -> None:
        if self.proc.poll() is None:
            for p in psutil.Process(self.proc.pid).children(recursive=True):
                p.kill()
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(HANG_GUARD_S)


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=HANG_GUARD_S) as resp:
        return resp.status, resp.read()


def _post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=HANG_GUARD_S) as resp:
        return resp.status, resp.read()


def _jupyter_process(root: psutil.Process) -> psutil.Process:
    for p in root.children(recursive=True):
        if "jupyterlab" in " ".join(p.cmdline()):
            return p
    raise AssertionError("no JupyterLab process under the launcher")


def _wait_kernel(root: psutil.Process, timeout: float = HANG_GUARD_S) -> psutil.Process:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in root.children(recursive=True):
            try:
                if "ipykernel" in " ".join(p.cmdline()):
                    return p
            except psutil.Error:
                continue
        time.sleep(0.2)
    raise AssertionError("the kernel process did not appear")


def _port_closed(url: str) -> bool:
    parsed = urllib.parse.urlsplit(url)
    with socket.socket() as s:
        s.settimeout(HANG_GUARD_S)  # a closed port refuses at once; a slow answer is not "closed"
        return s.connect_ex((parsed.hostname or "127.0.0.1", parsed.port or 80)) != 0


def _run_once(cmd: list[str], port: int) -> None:
    t0 = time.monotonic()
    launched = Launched(cmd)
    try:
        m = launched.wait_for(URL_RE)
        url, printed_port, token = m.group(1), int(m.group(2)), m.group(3)
        assert printed_port == port
        api_url = launched.wait_for(SANDBOX_RE).group(1)
        auth = {"Authorization": f"token {token}"}
        base = f"http://127.0.0.1:{port}/"

        status, _ = _get(f"{base}api/status", auth)
        assert status == 200

        root = psutil.Process(launched.proc.pid)
        jupyter = _jupyter_process(root)
        env = jupyter.environ()
        # The CYCLR_* variables reach JupyterLab (and so every kernel it starts) ...
        assert env["CYCLR_API_URL"] == api_url
        assert env["CYCLR_SERVICE_URL"].startswith("http://127.0.0.1:")
        # ... and the sandbox accepts those very credentials.
        form = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": env["CYCLR_CLIENT_ID"],
                "client_secret": env["CYCLR_CLIENT_SECRET"],
            }
        ).encode()
        status, body = _post(
            f"{api_url}/oauth/token",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 200 and json.loads(body)["access_token"]

        # A running kernel must not survive Ctrl-C either.
        json_headers = {**auth, "Content-Type": "application/json"}
        _post(f"{base}api/kernels", b'{"name": "python3"}', json_headers)
        kernel = _wait_kernel(root)
        assert "CYCLR_API_URL" in kernel.environ()
        tree = [root, *root.children(recursive=True)]
        startup = time.monotonic() - t0

        os.killpg(launched.proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
        rc = launched.proc.wait(HANG_GUARD_S)
        launched.drain()
        assert rc == 0, launched.text()
        assert "Stopped." in launched.text()
        _, alive = psutil.wait_procs(tree, timeout=HANG_GUARD_S)
        assert alive == [], f"left running: {[p.pid for p in alive]}"
        assert _port_closed(url) and _port_closed(api_url)
        print(f"launcher ready in {startup:.1f}s, total {time.monotonic() - t0:.1f}s")
    finally:
        launched.kill()


@pytest.fixture
def port() -> int:
    return _free_port()


def test_cli_lab_twice_in_a_row(port: int) -> None:
    # `cyclr-widgets lab` through the real dispatcher (the console script may not be installed).
    code = "import sys; from cyclr_widgets.cli import main; sys.exit(main(sys.argv[1:]))"
    cmd = [sys.executable, "-c", code, "lab", "--no-browser", "--port", str(port)]
    for _ in range(2):
        _run_once(cmd, port)


@pytest.mark.skipif(
    not (Path(sys.prefix) / "bin" / "python").exists() or not Path("/bin/bash").exists(),
    reason="scripts/demo.sh needs bash and a virtual environment with bin/python",
)
def test_demo_script_twice_in_a_row(port: int) -> None:
    cmd = ["bash", "scripts/demo.sh", "--no-browser", "--port", str(port)]
    for _ in range(2):
        _run_once(cmd, port)
