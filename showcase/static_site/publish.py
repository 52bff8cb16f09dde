"""Writing a build: into a sibling folder, then swapped in with renames.

Each file's SHA-256 goes into a manifest (``.static-site.json``) next to the pages. A file
whose hash matches the previous build's is hard-linked from it (not written: its bytes and
modification time stay), paths the new build lacks are gone with the old folder, and a
build that fails is discarded, leaving the published folder as it was.
"""

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".static-site.json"
VERSION = 1


class FolderError(Exception):
    """A folder the build must not write into."""


@dataclass
class Counts:
    written: int = 0
    unchanged: int = 0
    deleted: int = 0


def read_manifest(target):
    """The previous build's ``{file: sha256}``; {} for no build, a broken manifest (so
    every file is written again) or a folder that is empty. A non-empty folder without a
    manifest is not a build: ``FolderError``, and nothing in it is touched."""
    if not target.exists():
        return {}, None
    if not target.is_dir():
        raise FolderError(f"{target} is not a folder.")
    path = target / MANIFEST
    if not path.exists():
        if any(target.iterdir()):
            raise FolderError(
                f"{target} is not empty and holds no previous build ({MANIFEST}): "
                "choose an empty or new folder."
            )
        return {}, None
    try:
        data = json.loads(path.read_text())
        files = data["files"]
        if data.get("version") != VERSION or not isinstance(files, dict):
            raise ValueError("unknown manifest version")
    except (ValueError, KeyError, TypeError) as error:
        return {}, f"{path} is broken ({error}): every file is written again."
    return files, None


def _digest(content):
    return hashlib.sha256(content).hexdigest()


class Staging:
    """A new build beside ``target``: ``add`` files, then ``publish`` or ``discard``."""

    def __init__(self, target):
        self.target = Path(target).absolute()
        self.previous, self.warning = read_manifest(self.target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(self.target.parent, os.W_OK):
            raise FolderError(f"{self.target.parent} is not writable.")
        self.root = Path(
            tempfile.mkdtemp(prefix=f".{self.target.name}.building-", dir=self.target.parent)
        )
        self.files = {}
        self.counts = Counts()

    def _unchanged(self, name, digest):
        old = self.target / name
        return self.previous.get(name) == digest and old.is_file() and not old.is_symlink()

    def _link_previous(self, name, destination):
        try:
            os.link(self.target / name, destination)
        except OSError:  # another file system, or no hard links: a copy keeps the time
            shutil.copy2(self.target / name, destination)

    def add(self, name, content):
        """The file ``name`` (a relative path) with ``content``; a name added twice keeps
        its first content."""
        if name in self.files:
            return
        digest = _digest(content)
        self.files[name] = digest
        destination = self.root / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if self._unchanged(name, digest):
            self._link_previous(name, destination)
            self.counts.unchanged += 1
        else:
            destination.write_bytes(content)
            self.counts.written += 1

    def adopt(self, folder):
        """Count the files something else wrote under ``folder`` (collectstatic), putting
        back the previous build's copy of each one that did not change."""
        for path in sorted((self.root / folder).rglob("*")):
            if not path.is_file():
                continue
            name = path.relative_to(self.root).as_posix()
            digest = _digest(path.read_bytes())
            self.files[name] = digest
            if self._unchanged(name, digest):
                path.unlink()
                self._link_previous(name, path)
                self.counts.unchanged += 1
            else:
                self.counts.written += 1

    def publish(self):
        """Swap the new build in; return the ``Counts``."""
        self.counts.deleted = len(set(self.previous) - set(self.files))
        manifest = {"version": VERSION, "files": dict(sorted(self.files.items()))}
        (self.root / MANIFEST).write_text(json.dumps(manifest, indent=0) + "\n")
        os.chmod(self.root, 0o755)  # mkdtemp makes it private; a static server must read it
        if self.target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-", dir=self.target.parent))
            old.rmdir()
            os.rename(self.target, old)
            os.rename(self.root, self.target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(self.root, self.target)
        return self.counts

    def discard(self):
        shutil.rmtree(self.root, ignore_errors=True)
