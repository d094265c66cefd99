"""Start real khaojing processes (web server, worker) on loopback for tests, and stop them for sure."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from khaojing.settings import Settings

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHAOJING_")}
    env.update({"KHAOJING_DATABASE_URL": settings.database_url, "KHAOJING_DATA_DIR": str(settings.data_dir),
                "KHAOJING_SECRET_KEY": settings.secret_key, "KHAOJING_DEV_MODE": "true",
                "KHAOJING_INPROCESS_WORKER": "false", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.1) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def stop(proc: subprocess.Popen, *, kill: bool = False) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@contextmanager
def web_server(settings: Settings, log_path: Path, **extra_env: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """A uvicorn process serving create_app() from KHAOJING_* variables; yields (base_url, process)."""
    port = free_port()
    log = open(log_path, "ab")  # noqa: SIM115
    proc = subprocess.Popen([str(BIN / "python"), "-m", "uvicorn", "--factory", "khaojing.app:create_app",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env=process_env(settings, **extra_env), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}; see {log_path}")
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        assert wait_until(healthy, 30), f"the server did not start; see {log_path}"
        yield base, proc
    finally:
        stop(proc)
        log.close()


def start_worker(settings: Settings, log_path: Path, **extra_env: str) -> subprocess.Popen:
    """A `khaojing worker` process."""
    log = open(log_path, "ab")  # noqa: SIM115
    return subprocess.Popen([str(BIN / "khaojing"), "worker"], env=process_env(settings, **extra_env),
                            stdout=log, stderr=subprocess.STDOUT)
