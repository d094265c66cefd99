"""Helpers shared by the `make bench` scripts: machine facts, a real server process, PostgreSQL, results.

Run as `python benchmarks/benchlib.py serve '<json>'` it is the server process that the benchmarks start
(uvicorn serving khaojing's create_app with the given Settings), so the client never shares its interpreter.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import math
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "benchmarks" / "results"
SHARED_DATA = ROOT.parent / "shared" / "data"
COFACT_CSV = SHARED_DATA / "afnc-cofact-sure-2022" / "cofact_info.csv"
DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PG_OFF = {"", "0", "off", "no", "none", "skip", "false"}


# ---------------------------------------------------------------- machine and numbers

def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10, check=False)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    if not dirty.stdout.strip():
        return out.stdout.strip()
    # uncommitted changes: name them by a hash of the diff, so two runs on the same tree compare
    diff = subprocess.run(["git", "-C", str(ROOT), "diff", "HEAD", "--", "src"], capture_output=True,
                          timeout=30, check=False).stdout
    if not diff.strip():
        return f"{out.stdout.strip()}+changes-outside-src"
    return f"{out.stdout.strip()}+dirty:{hashlib.sha256(diff).hexdigest()[:10]}"


def _cpu_model() -> str | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_info() -> dict[str, Any]:
    mem = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "hostname": socket.gethostname(),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": mem,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": load_average(),
        "khaojing_commit": git_commit(),
        "packages": {p: _version(p) for p in ("khaojing", "fastapi", "starlette", "uvicorn", "uvloop",
                                              "httptools", "sqlalchemy", "psycopg", "httpx", "pydantic")},
    }


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of an already sorted list."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used so far (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def peak_rss_mib(pid: int | str = "self") -> float | None:
    """The most memory a process has held so far (VmHWM, MiB; Linux /proc; None elsewhere)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        return None
    return None


def cpu_seconds_of(command_name: str) -> float | None:
    """CPU seconds used so far by all processes with this command name (e.g. the local `postgres` server)."""
    total, found = 0.0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, rest = stat.read_text().rpartition(")")
            if head.split("(", 1)[1] != command_name:
                continue
            fields = rest.split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            found = True
        except (OSError, ValueError, IndexError):
            continue
    return total if found else None


def system_cpu_times() -> tuple[float, float] | None:
    """(busy, total) CPU seconds of the whole machine so far, all cores (Linux /proc/stat; None elsewhere)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / tick, sum(fields[:8]) / tick


def busy_cores(before: tuple[float, float] | None, after: tuple[float, float] | None) -> float | None:
    """How many cores were busy on average between two system_cpu_times() readings."""
    if before is None or after is None or after[1] <= before[1]:
        return None
    return round((after[0] - before[0]) / (after[1] - before[1]) * (os.cpu_count() or 1), 2)


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


# ---------------------------------------------------------------- Thai texts

def load_thai_texts(limit: int = 5000) -> tuple[list[str], str]:
    """Realistic Thai claims (Cofact titles and claim texts) or, without ../shared, generated ones."""
    texts: list[str] = []
    if COFACT_CSV.is_file():
        with COFACT_CSV.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                header = (row.get("header") or "").strip()
                content = " ".join((row.get("content") or "").split())[:600]
                if header and content and len(texts) % 2:
                    texts.append(f"{header}\n{content}")
                elif header or content:
                    texts.append(header or content)
                if len(texts) >= limit:
                    break
    if texts:
        return texts, str(COFACT_CSV.relative_to(ROOT.parent))
    subjects = ["น้ำมะนาวผสมโซดา", "วัคซีนโควิด", "ธนาคารแห่งประเทศไทย", "กรมอุตุนิยมวิทยา", "ยาสมุนไพร",
                "บัตรสวัสดิการแห่งรัฐ", "เงินดิจิทัล 10,000 บาท", "แผ่นดินไหว", "ไข่ไก่ปลอม", "ค่าไฟฟ้า"]
    claims = ["รักษามะเร็งได้ภายใน 7 วัน", "จะปิดรับลงทะเบียนพรุ่งนี้", "แจกเงินฟรีผ่านลิงก์นี้",
              "เตือนภัยพายุใหญ่เข้าทั้งประเทศ", "ทำให้เสียชีวิตทันที", "ประกาศใหม่จากรัฐบาล ส่งต่อด่วน"]
    for i in range(limit):
        texts.append(f"{subjects[i % len(subjects)]} {claims[(i // len(subjects)) % len(claims)]} "
                     f"(ส่งต่อกันในไลน์ ครั้งที่ {i + 1})")
    return texts, "generated (../shared/data absent)"


# ---------------------------------------------------------------- PostgreSQL

def pg_admin_url() -> str | None:
    """KHAOJING_BENCH_POSTGRES_URL (an admin connection) or the local default; None when it says off."""
    value = os.environ.get("KHAOJING_BENCH_POSTGRES_URL")
    if value is None:
        return DEFAULT_PG_ADMIN_URL
    return None if value.strip().lower() in PG_OFF else value.strip()


def redact(url: str) -> str:
    """The URL with any password replaced by ***."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy understands: show only its scheme
        return url.split(":", 1)[0] + ":…"


def _psycopg_url(url: str) -> str:
    return "postgresql+psycopg://" + url[len("postgresql://"):] if url.startswith("postgresql://") else url


def recreate_pg_database(admin_url: str, name: str) -> tuple[str, str]:
    """Drop and create database `name` on the admin URL's server; return (its URL, server version)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(_psycopg_url(admin_url), isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            version = conn.execute(text("SELECT current_setting('server_version')")).scalar_one()
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    url = make_url(_psycopg_url(admin_url)).set(database=name).render_as_string(hide_password=False)
    return url, version


def pg_settings(url: str) -> dict[str, str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(_psycopg_url(url), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            return {n: conn.execute(text("SELECT current_setting(:n)"), {"n": n}).scalar_one()
                    for n in ("synchronous_commit", "fsync", "shared_buffers", "max_connections")}
    finally:
        engine.dispose()


# ---------------------------------------------------------------- the server process

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """`uvicorn` serving create_app(Settings(**settings)) on 127.0.0.1:<free port>, in its own process."""

    def __init__(self, settings: dict[str, Any], workdir: Path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "server.log"
        self.workdir = workdir
        self.config = {"settings": settings, "port": self.port}
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KHAOJING_")}
        env["PYTHONUNBUFFERED"] = "1"
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "serve",
                                          json.dumps(self.config)], cwd=self.workdir, env=env,
                                         stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{self.base_url}/healthz").status_code == 200:
                        return
                time.sleep(0.1)
        raise RuntimeError(f"no answer from {self.base_url}/healthz within {timeout:.0f} s:\n"
                           f"{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s: the server never outlives the benchmark."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            self.proc.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def log_problems(self) -> dict[str, Any]:
        """What the server logged: tracebacks, 'database is locked', other errors (first lines kept)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return {}
        lines = text.splitlines()
        errors = [ln for ln in lines if ln.startswith(("ERROR", "CRITICAL")) or "Error:" in ln]
        return {"log_lines": len(lines), "tracebacks": text.count("Traceback (most recent call last)"),
                "database_is_locked": text.count("database is locked"), "error_lines": errors[:10]}

    def __enter__(self) -> ServerProcess:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _serve(config_json: str) -> None:
    import uvicorn

    from khaojing.app import create_app
    from khaojing.settings import Settings

    config = json.loads(config_json)
    settings = Settings(_env_file=None, **config["settings"])
    uvicorn.run(create_app(settings), host="127.0.0.1", port=int(config["port"]), log_level="warning",
                access_log=False)


# ---------------------------------------------------------------- results

def _write_atomic(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(content, encoding="utf-8")
    os.replace(tmp, path)


def write_json(path: Path, data: Any) -> None:
    _write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_text(path: Path, text: str) -> None:
    _write_atomic(path, text)


def merge_summary(key: str, section: dict[str, Any], results_dir: Path = RESULTS_DIR) -> Path:
    """Put `section` under `key` in results/summary.json, keeping every other benchmark's key."""
    path = results_dir / "summary.json"
    summary: dict[str, Any] = {}
    if path.is_file():
        with contextlib.suppress(ValueError):
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                summary = loaded
    summary[key] = section
    write_json(path, dict(sorted(summary.items())))
    return path


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        _serve(sys.argv[2])
    else:
        sys.exit("usage: benchlib.py serve '<json config>' (started by the benchmarks)")
