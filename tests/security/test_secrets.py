"""No secrets in the repository: private keys, cloud keys and hard-coded passwords in tracked files.

Allowed: the documented demo-only password (``marketplace/demo/context.py``), Django's
development-only ``django-insecure-`` key used when DEBUG is on, and passwords of test fixtures under
``tests/`` (they exist only in throw-away test databases).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from marketplace.demo.context import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]

ALWAYS_FORBIDDEN = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(r"aws_secret_access_key\s*[:=]\s*['\"]?[A-Za-z0-9/+]{40}"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}"),
    "URL with a password": re.compile(r"\b[a-z+]+://[^/\s:@'\"]+:(?!\$\{|<)[^@\s/'\"]{6,}@"),
}
HARD_CODED = re.compile(
    r"(?i)\b\w*(?:password|passwd|secret|api_key|access_key|private_key)\w*\s*[:=]\s*['\"]([^'\"\s]{8,})['\"]"
)
ALLOWED_VALUES = {DEMO_PASSWORD}
ALLOWED_PREFIXES = ("django-insecure-",)


def _tracked_files() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git work tree")
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return [ROOT / name for name in listing.split("\0") if name]


def _text(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:8192] or len(data) > 5_000_000:
        return None
    return data.decode("utf-8", errors="replace")


def find_secrets(files: list[Path]) -> list[str]:
    found: list[str] = []
    for path in files:
        text = _text(path)
        if text is None:
            continue
        relative = path.relative_to(ROOT).as_posix()
        for name, pattern in ALWAYS_FORBIDDEN.items():
            found.extend(f"{relative}: {name}" for _ in pattern.finditer(text))
        if relative.startswith("tests/"):
            continue
        for match in HARD_CODED.finditer(text):
            value = match.group(1)
            if value in ALLOWED_VALUES or value.startswith(ALLOWED_PREFIXES):
                continue
            found.append(f"{relative}: hard-coded {match.group(0)[:60]}")
    return found


def test_no_secrets_in_tracked_files() -> None:
    assert find_secrets(_tracked_files()) == []


def test_the_scanner_finds_what_it_looks_for(tmp_path: Path) -> None:
    planted = tmp_path / "leak.py"
    header = "-----BEGIN RSA " + "PRIVATE KEY-----"
    planted.write_text(
        f'{header}\nKEY = "AKIA{"A" * 16}"\nDB_PASSWORD = "hunter2-hunter2"\n'
        'URL = "postgres://app:' + 's3cretpass@db/app"\n'  # split, so this file does not match itself
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = find_secrets([planted])
    finally:
        ROOT = saved
    assert [line.split(": ", 1)[1].split(" ")[0] for line in found] == ["private", "AWS", "URL", "hard-coded"]
