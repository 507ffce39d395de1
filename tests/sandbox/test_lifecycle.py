"""Sandbox lifecycle, seed data, persistence, layering and the CLI.

No test here depends on the machine's speed (CI machines are shared): waits end on a signal (a
printed line, a thread ending) and their bounds only catch hangs. Speed is the benches' business.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from cyclr_widgets.sandbox import DEFAULT_CLIENT_SECRET, Sandbox
from cyclr_widgets.sandbox._server import bind
from cyclr_widgets.sandbox.seed import build_seed
from tests.support.sandbox import HTTP, get_token

ROOT = Path(__file__).resolve().parents[2]
# Bound of every wait on a thread or a subprocess: long enough that only a hang reaches it.
HANG_GUARD_S = 120.0
AUTH_KINDS = {
    ("ApiKey", "Unknown"),
    ("Basic", "Unknown"),
    ("OAuth2", "AuthorisationCode"),
    ("OAuth2", "ClientCredentials"),
    ("OAuth1", "Unknown"),
    ("None", "Unknown"),
}


def _headers(sb: Sandbox, account: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {get_token(sb)}", "X-Cyclr-Account": account or sb.account_id}


def test_start_stop_without_with() -> None:
    sb = Sandbox(client_secret="sbx-secret-unit")
    assert not sb.running and "sbx-secret" not in repr(sb)
    with pytest.raises(RuntimeError):
        _ = sb.api_url
    before = set(threading.enumerate())
    assert sb.start() is sb and sb.start() is sb
    serving = [t for t in threading.enumerate() if t not in before]
    assert serving, "start() returned without a serving thread"
    try:
        urls = [sb.api_url, sb.service_url, sb.provider_url]
        assert len(set(urls)) == 3
        assert all(u.startswith("http://127.0.0.1:") and not u.endswith("/") for u in urls)
        assert "sbx-secret-unit" not in repr(sb) and sb.api_url in repr(sb)
        assert sb.environ == {
            "CYCLR_SANDBOX": "1",
            "CYCLR_CLIENT_ID": sb.client_id,
            "CYCLR_CLIENT_SECRET": "sbx-secret-unit",
            "CYCLR_API_URL": sb.api_url,
            "CYCLR_SERVICE_URL": sb.service_url,
            "CYCLR_ACCOUNT_ID": sb.account_id,
        }
        assert HTTP.get(sb.api_url + "/v1.0/accounts", headers=_headers(sb)).status_code == 200
    finally:
        sb.stop()
    # stop() ends what start() started (how fast is not asserted: a busy machine is slow).
    for thread in serving:
        thread.join(HANG_GUARD_S)
    assert not [t.name for t in serving if t.is_alive()]
    sb.stop()  # idempotent
    with pytest.raises(httpx.TransportError):
        httpx.get(urls[0] + "/v1.0/accounts", timeout=2)


def test_fixed_ports_and_default_secret() -> None:
    socks = [bind(None) for _ in range(3)]
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    with Sandbox(port=ports[0], service_port=ports[1], provider_port=ports[2]) as sb:
        assert sb.api_url.endswith(f":{ports[0]}") and sb.provider_url.endswith(f":{ports[2]}")
        assert sb.client_secret == DEFAULT_CLIENT_SECRET and DEFAULT_CLIENT_SECRET not in repr(sb)
        with pytest.raises(OSError):
            Sandbox(port=ports[0]).start()  # the port is taken


def test_db_persists_across_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "state.sqlite")
    with Sandbox(db=db) as sb:
        h = _headers(sb)
        assert (
            HTTP.post(
                sb.api_url + "/v1.0/accounts", json={"Id": "kept", "Name": "Kept"}, headers=h
            ).status_code
            == 200
        )
        ac = HTTP.post(
            sb.api_url + "/v1.0/connectors/2002/install", json={"AuthValue": "k"}, headers=h
        ).json()["Id"]
    with Sandbox(db=db) as sb2:
        assert HTTP.get(sb2.api_url + "/v1.0/accounts/kept", headers=h).json()["Name"] == "Kept"
        assert HTTP.get(sb2.api_url + f"/v1.0/account/connectors/{ac}", headers=h).json()[
            "Authenticated"
        ]
        sb2.reset()
        assert HTTP.get(sb2.api_url + "/v1.0/accounts/kept", headers=h).status_code == 404
        assert sb2.account_connector_state(sb2.account_id, sb2.ids["oauth_account_connector_id"])


def test_reset_restores_seed() -> None:
    with Sandbox() as sb:
        h = _headers(sb)
        ac = sb.ids["oauth_authenticated_account_connector_id"]
        HTTP.delete(sb.api_url + f"/v1.0/account/connectors/{ac}", headers=h)
        assert HTTP.get(sb.api_url + f"/v1.0/account/connectors/{ac}", headers=h).status_code == 404
        sb.reset()
        assert HTTP.get(sb.api_url + f"/v1.0/account/connectors/{ac}", headers=h).status_code == 200
        with pytest.raises(KeyError):
            sb.account_connector_state(sb.ids["other_account_id"], ac)


def test_seed_is_deterministic_and_realistic() -> None:
    a = build_seed(7, None, None)
    b = build_seed(7, None, None)
    assert a == b and build_seed(8, None, None)["templates"] != a["templates"]
    conns = a["connectors"]
    assert len(conns) >= 300
    assert {(c["AuthType"], c["OAuth2Type"]) for c in conns} == AUTH_KINDS
    assert len({cat for c in conns for cat in c["Categories"]}) >= 8
    assert all(c["Authentication"] and "Parameters" in c for c in conns)
    assert any(
        p["IsAccountConnectorProperty"] and not p["IsOptional"]
        for c in conns
        for p in c["Parameters"]
    )
    main = [x for x in a["account_connectors"] if x["AccountId"] == a["ids"]["account_id"]]
    assert len(main) >= 50 and any(not x["Authenticated"] for x in main)
    assert {c["Status"] for c in a["cycles"]} == {"Active", "Paused"}
    assert {i["IncidentLevel"] for i in a["incidents"]} == {"Error", "Warning"}
    assert len(a["accounts"]) >= 4 and len(a["templates"]) >= 10
    oauth = next(x for x in main if x["Id"] == a["ids"]["oauth_account_connector_id"])
    assert (
        not oauth["Authenticated"] and oauth["ConnectorId"] in a["ids"]["oauth2_code_connector_ids"]
    )


def test_benchmark_sizes() -> None:
    with Sandbox(accounts=2000, connectors=1000) as sb:
        h = _headers(sb)
        r = HTTP.get(sb.api_url + "/v1.0/accounts", params={"pageSize": 1}, headers=h)
        assert r.headers["Total-Records"] == "2000"
        r = HTTP.get(sb.api_url + "/v1.0/connectors", params={"pageSize": 1}, headers=h)
        assert r.headers["Total-Records"] == "1000"


def test_sandbox_imports_only_stdlib_starlette_uvicorn() -> None:
    allowed = set(sys.stdlib_module_names) | {"starlette", "uvicorn", "__future__"}
    for path in (ROOT / "cyclr_widgets" / "sandbox").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


# -- CLI -----------------------------------------------------------------------------------------


def _spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "cyclr_widgets", "sandbox", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_until(proc: subprocess.Popen[str], ready: Callable[[str], bool]) -> str:
    """Read ``proc``'s output up to the line for which ``ready`` holds (its readiness signal).

    However long the start takes on a busy machine; only a hang (``HANG_GUARD_S``) kills it.
    """
    assert proc.stdout is not None and proc.stderr is not None
    lines: list[str] = []
    guard = threading.Timer(HANG_GUARD_S, proc.kill)
    guard.start()
    try:
        for line in iter(proc.stdout.readline, ""):
            lines.append(line)
            if ready(line):
                return "".join(lines)
    finally:
        guard.cancel()
    proc.wait(HANG_GUARD_S)
    raise AssertionError(
        f"the sandbox never printed its ready line (exit {proc.returncode}); "
        f"stdout: {''.join(lines)!r}; stderr: {proc.stderr.read()[-2000:]!r}"
    )


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_cli_serves_and_stops_cleanly(sig: signal.Signals) -> None:
    proc = _spawn("--json", "--latency-ms", "1", "--client-secret", "cli-secret")
    try:
        info = json.loads(_read_until(proc, lambda line: line.startswith("{")))
        assert info["client_secret"] == "cli-secret" and info["account_id"]
        r = HTTP.post(
            info["api_url"] + "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": info["client_id"],
                "client_secret": "cli-secret",
            },
        )
        assert r.status_code == 200 and r.json()["expires_in"] == 1209599
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=HANG_GUARD_S)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Sandbox stopped." in out and "Traceback" not in err


def test_cli_text_output(tmp_path: Path) -> None:
    proc = _spawn("--db", str(tmp_path / "cli.sqlite"), "--accounts", "5")
    try:
        # "account id" is the last line of the block that lists the URLs and credentials.
        text = _read_until(proc, lambda line: line.lstrip().startswith("account id"))
        assert "api url" in text and "http://127.0.0.1:" in text
        assert DEFAULT_CLIENT_SECRET in text and "client id" in text
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=HANG_GUARD_S)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and (tmp_path / "cli.sqlite").exists()


def test_cli_without_command_and_bad_flags(capsys: pytest.CaptureFixture[str]) -> None:
    from cyclr_widgets.cli import build_parser, main

    assert main([]) == 2
    with pytest.raises(SystemExit):
        main(["sandbox", "--latency-ms", "abc"])
    assert main(["sandbox", "--error-rate", "3"]) == 1
    assert "error_rate" in capsys.readouterr().err
    assert "lab" in build_parser().format_help()
