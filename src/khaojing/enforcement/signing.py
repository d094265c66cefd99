"""The center's Ed25519 evidence key (made on first use, private part 0600), canonical JSON, signing and checking."""

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
_CACHE: dict[Path, EvidenceKey] = {}


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


def load_key(settings: Settings) -> EvidenceKey:
    """The center's key pair; generated into the data directory on first use unless a key file is configured."""
    path = key_path(settings).resolve()
    with _LOCK:
        if path in _CACHE:
            return _CACHE[path]
        if not path.exists():
            if settings.enforcement_signing_key_path is not None:
                raise RuntimeError(f"the evidence signing key {path} is missing "
                                   "(KHAOJING_ENFORCEMENT_SIGNING_KEY_PATH)")
            _write_new_key(path)
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise RuntimeError(f"{path} is not an Ed25519 private key")
        public = private.public_key()
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        key = EvidenceKey(private=private, public_pem=pem, key_id=sha256_hex(raw))
        _CACHE[path] = key
        return key
