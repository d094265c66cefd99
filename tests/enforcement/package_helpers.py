"""Run an evidence package's own verifier the way a stranger would: a separate, isolated Python."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path


def unpack(data: bytes, into: Path) -> Path:
    zipfile.ZipFile(io.BytesIO(data)).extractall(into)
    return into


def run_verifier(root: Path, *, without_crypto: bool = False) -> subprocess.CompletedProcess:
    """-I: isolated mode, like a stranger's machine; without_crypto: a Python that cannot import cryptography."""
    args = [sys.executable, "-I", *(["-S"] if without_crypto else []), str(root / "verify_package.py"), str(root)]
    return subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=root)
