"""Running the ``pollen`` command line in a child process, as a person would: tests check its
exit code and what it writes to stderr."""

from __future__ import annotations

import os
import subprocess
import sys

POLLEN = [sys.executable, "-m", "pollen_pipeline.cli"]


def run_pollen(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``pollen *args`` with ``env`` over this process's environment, output captured as text."""
    return subprocess.run(
        [*POLLEN, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )
