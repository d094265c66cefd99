"""The center's Ed25519 evidence key (made on first use, private part 0600), canonical JSON, signing and checking.

Keys are rotated (`khaojing evidence rotate-key`): the old public key is kept in `retired/` beside the key file, so
records and custody entries signed before the rotation still verify, and the old private key is destroyed. Every
process notices a rotation at its next signature (the key file is re-read when it changes)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from khaojing.settings import Settings

_LOCK = threading.Lock()
_CACHE: dict[Path, tuple[tuple[int, int], EvidenceKey]] = {}  # path -> ((inode, mtime), key)
RETIRED = "retired"


def canonical(value: Any) -> bytes:
    """The bytes that are hashed and signed: sorted keys, no spaces, UTF-8 (the package verifier does the same)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class EvidenceKey:
    private: Ed25519PrivateKey
    public_pem: str
    key_id: str  # SHA-256 of the 32 raw public key bytes

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode("ascii")

    def verify(self, message: bytes, signature: str) -> bool:
        return verify_with(self.public_pem, message, signature)


def verify_with(public_pem: str, message: bytes, signature: str) -> bool:
    public = serialization.load_pem_public_key(public_pem.encode("ascii"))
    assert isinstance(public, Ed25519PublicKey)
    try:
        public.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def key_path(settings: Settings) -> Path:
    return settings.enforcement_signing_key_path or (settings.data_dir / "evidence-key" / "ed25519.pem")


def _write_new_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption())
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)  # never replaces a key another process made at the same moment
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def _file_id(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def _key_id(public: Ed25519PublicKey) -> str:
    return sha256_hex(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def _public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_key(settings: Settings) -> EvidenceKey:
    """The center's key pair; generated into the data directory on first use unless a key file is configured."""
    path = key_path(settings).resolve()
    with _LOCK:
        if not path.exists():
            if settings.enforcement_signing_key_path is not None:
                raise RuntimeError(f"the evidence signing key {path} is missing "
                                   "(KHAOJING_ENFORCEMENT_SIGNING_KEY_PATH)")
            _write_new_key(path)
        file_id = _file_id(path)
        cached = _CACHE.get(path)
        if cached and cached[0] == file_id:
            return cached[1]
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise RuntimeError(f"{path} is not an Ed25519 private key")
        public = private.public_key()
        key = EvidenceKey(private=private, public_pem=_public_pem(public), key_id=_key_id(public))
        _CACHE[path] = (file_id, key)
        return key


def retired_dir(settings: Settings) -> Path:
    return key_path(settings).resolve().parent / RETIRED


def keyring(settings: Settings) -> dict[str, str]:
    """key ID -> public PEM of every key this center has signed with: the current one, then the retired ones. A
    retired key's ID is computed from the key itself, never taken from its file name; a file that is not an Ed25519
    public key is left out (the records it signed then show as signed by an unknown key)."""
    current = load_key(settings)
    keys = {current.key_id: current.public_pem}
    folder = retired_dir(settings)
    for pem_file in sorted(folder.glob("*.pem")) if folder.is_dir() else []:
        try:
            public = serialization.load_pem_public_key(pem_file.read_bytes())
        except (ValueError, OSError):
            continue
        if isinstance(public, Ed25519PublicKey):
            keys.setdefault(_key_id(public), _public_pem(public))
    return keys


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rotate_key(settings: Settings) -> tuple[str, str]:
    """Retire the current key (its public half kept in `retired/`, its private half overwritten by the new key)
    and make a new one. Returns (old key ID, new key ID)."""
    old = load_key(settings)
    path = key_path(settings).resolve()
    folder = retired_dir(settings)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    kept = folder / f"{old.key_id}.pem"
    kept.write_text(old.public_pem, encoding="ascii")
    kept.chmod(0o644)
    _fsync_dir(folder)
    with _LOCK:
        tmp = path.with_suffix(f".new{os.getpid()}")
        tmp.unlink(missing_ok=True)
        _write_new_key(tmp)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
        _CACHE.pop(path, None)
    return old.key_id, load_key(settings).key_id
