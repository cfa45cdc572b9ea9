"""Run the ``kg`` command line against a test server, as a user would (a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def kg_env(settings) -> dict:
    """The environment with ``NEO4J_*`` pointing at ``settings`` (and no other NEO4J_ variable)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=settings.uri, NEO4J_USERNAME=settings.username, NEO4J_PASSWORD=settings.password)
    return env


def run_kg(settings, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """``python -m kg.cli ARGS`` in the repository against ``settings``; output captured as text."""
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=REPO, env=kg_env(settings),
                          capture_output=True, text=True, timeout=timeout)
