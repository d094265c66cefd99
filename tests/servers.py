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
    with web_servers(settings, [log_path], **extra_env) as [server]:
        yield server


@contextmanager
def web_servers(settings: Settings, log_paths: list[Path], **extra_env: str,
                ) -> Iterator[list[tuple[str, subprocess.Popen]]]:
    """One uvicorn process per log path, started side by side (each takes seconds to import the app) and all
    healthy before the block runs; yields [(base_url, process)] in the order of `log_paths`."""
    logs = [open(path, "ab") for path in log_paths]  # noqa: SIM115
    started: list[tuple[str, subprocess.Popen, Path]] = []
    try:
        for path, log in zip(log_paths, logs, strict=True):
            port = free_port()
            proc = subprocess.Popen([str(BIN / "python"), "-m", "uvicorn", "--factory", "khaojing.app:create_app",
                                     "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                                    env=process_env(settings, **extra_env), stdout=log, stderr=subprocess.STDOUT)
            started.append((f"http://127.0.0.1:{port}", proc, path))
        for base, proc, path in started:
            assert wait_until(lambda b=base, p=proc, lp=path: _healthy(b, p, lp), 60), \
                f"the server did not start; see {path}"
        yield [(base, proc) for base, proc, _ in started]
    finally:
        for _, proc, _ in started:  # all asked to stop first, so that they shut down side by side too
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for _, proc, _ in started:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                stop(proc, kill=True)
        for log in logs:
            log.close()


def _healthy(base: str, proc: subprocess.Popen, log_path: Path) -> bool:
    if proc.poll() is not None:
        raise RuntimeError(f"the server exited with {proc.returncode}; see {log_path}")
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def start_worker(settings: Settings, log_path: Path, **extra_env: str) -> subprocess.Popen:
    """A `khaojing worker` process."""
    log = open(log_path, "ab")  # noqa: SIM115
    return subprocess.Popen([str(BIN / "khaojing"), "worker"], env=process_env(settings, **extra_env),
                            stdout=log, stderr=subprocess.STDOUT)
