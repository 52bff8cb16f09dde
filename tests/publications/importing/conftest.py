"""Helpers for the importer tests: the recorded samples and running the real command."""

import sys
from pathlib import Path

import pytest
from django.core.management import ManagementUtility
from django.db import connections

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples"


def sample(name: str) -> str:
    path = SAMPLES / name
    assert path.is_file(), path
    return str(path)


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"Run(code={self.code}, out={self.out[-2000:]!r}, err={self.err[-2000:]!r})"


@pytest.fixture
def run_import(capsys, monkeypatch, db):
    """``manage.py import_papers ARGS`` as from a shell: real argument parsing, real exit
    code, real stdout/stderr. (``run_from_argv`` closes connections when it ends; inside
    a test transaction that would lose the test's data, so that one call is neutralised.)"""
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args, stdin: bytes | None = None):
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", _Stdin(stdin))
        try:
            ManagementUtility(["manage.py", "import_papers", *map(str, args)]).execute()
            code = 0
        except SystemExit as exit_:
            code = exit_.code
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


class _Stdin:
    def __init__(self, data: bytes):
        import io

        self.buffer = io.BytesIO(data)

    def isatty(self):
        return False
