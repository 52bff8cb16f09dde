"""The Makefile finds a Python 3.12+ and says clearly when there is none."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def make(*args, env=None):
    return subprocess.run(
        ["make", "-s", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_no_python_gives_a_clear_message_and_fails():
    result = make("check-python", "PYTHON=")
    assert result.returncode != 0
    assert "Python 3.12 or newer is required" in result.stderr


def test_finds_a_python_of_at_least_3_12():
    result = make("print-python")
    assert result.returncode == 0, result.stderr
    found = result.stdout.strip()
    version = subprocess.run(
        [found, "-c", "import sys; print(sys.version_info >= (3, 12))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == "True"
