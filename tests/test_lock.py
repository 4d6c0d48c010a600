"""The Python dependencies are locked with hashes, and the locks match pyproject.toml.

After editing the dependencies, ``make lock`` recompiles ``requirements/*.txt``; the set-up
(``scripts/bootstrap.sh``) installs only from them, with ``--require-hashes``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
LOCKS = {
    "base.txt": PYPROJECT["dependencies"],
    "dev.txt": PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["dev"],
    "bench.txt": PYPROJECT["dependencies"]
    + PYPROJECT["optional-dependencies"]["dev"]
    + PYPROJECT["optional-dependencies"]["bench"],
}
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+) \\$", re.MULTILINE)


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    return {normalized(name): version for name, version in PIN.findall(text)}


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_declared_dependency_is_pinned_in_its_lock(lock):
    declared = {normalized(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in LOCKS[lock]}
    assert declared - set(pins(lock)) == set(), "run `make lock`"


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_pin_carries_hashes_and_no_machine_path(lock):
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    blocks = re.split(r"\n(?=[A-Za-z0-9])", body)
    assert blocks
    assert all("--hash=sha256:" in block for block in blocks if PIN.match(block))
    assert "--find-links" not in text and "--extra-index-url" not in text


def test_the_set_up_installs_from_the_locks_only():
    script = (ROOT / "scripts" / "bootstrap.sh").read_text(encoding="utf-8")
    assert "--require-hashes -r" in script
    assert "-e ." not in script
    assert "run) lock=requirements/base.txt" in script  # `make run`: no dev extras
