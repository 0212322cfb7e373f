"""One Linter per configuration file, found the way ``medlint check`` finds it.

Discovery is the CLI's own (:func:`medlint.configfile.find_config_file` walking up from the
draft's folder, then :func:`~medlint.configfile.load_config_file`), so a draft gets the same
findings in the editor as in the pre-commit hook. Linters and the folder -> config lookups
are cached until a configuration file changes (:meth:`LinterCache.reset`); a broken
configuration is cached as a :class:`ConfigProblem` too, so it is reported once per change
and not re-read on every keystroke.

Thread-safe: lints run on worker threads, and two drafts under one config must build one
Linter.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import MedlintError

if TYPE_CHECKING:
    from ..linter import Linter

__all__ = ["CONFIG_FILE_NAMES", "ConfigProblem", "LinterCache"]

#: Files whose change may change the settings of some draft.
CONFIG_FILE_NAMES = (".medlint.yaml", ".medlint.yml", "pyproject.toml")


@dataclass(frozen=True)
class ConfigProblem:
    """A configuration that cannot be used: where it is, and what medlint says about it."""

    file: Path
    message: str
    line: int = 0  # 0-based, for the diagnostic
    column: int = 0


_AT_LINE = re.compile(r"at line (\d+)(?:, column (\d+))?")  # tomllib's wording


def _problem(file: Path, err: MedlintError) -> ConfigProblem:
    message = str(err)
    line = column = 0
    m = re.match(re.escape(str(file)) + r":(\d+):", message)
    if m:
        line = int(m.group(1)) - 1
    else:
        at = _AT_LINE.search(message)
        if at:
            line = int(at.group(1)) - 1
            column = int(at.group(2) or 1) - 1
    return ConfigProblem(file, message, max(line, 0), max(column, 0))


def _blamed(folder: Path, message: str) -> Path:
    """The pyproject.toml a discovery error names (discovery reports only those)."""
    for parent in (folder, *folder.parents):
        candidate = parent / "pyproject.toml"
        if message.startswith(str(candidate)):
            return candidate
    return folder / "pyproject.toml"


class LinterCache:
    """Linters by configuration file; ``linter_for`` answers a Linter or a ConfigProblem."""

    def __init__(self, fallback_folder: Path) -> None:
        #: where a draft with no file on disk (an untitled buffer) looks for its settings,
        #: as ``medlint check -`` looks from the current folder
        self.fallback_folder = fallback_folder
        self._lock = threading.RLock()
        self._found: dict[Path, "Path | None | ConfigProblem"] = {}
        self._linters: dict[Path | None, "Linter | ConfigProblem"] = {}

    def reset(self) -> None:
        """Forget every lookup and Linter: a configuration file was created, edited or deleted."""
        with self._lock:
            self._found.clear()
            self._linters.clear()

    def config_file(self, path: Path | None) -> "Path | None | ConfigProblem":
        from ..configfile import find_config_file

        folder = (path.parent if path is not None else self.fallback_folder).resolve()
        with self._lock:
            if folder not in self._found:
                try:
                    self._found[folder] = find_config_file(folder)
                except MedlintError as err:
                    self._found[folder] = _problem(_blamed(folder, str(err)), err)
            return self._found[folder]

    def linter_for(self, path: Path | None) -> "tuple[Linter | ConfigProblem, Path | None]":
        """The Linter for a draft at ``path`` (None: no file) and its config file, if any."""
        from ..configfile import load_config_file
        from ..linter import Linter

        found = self.config_file(path)
        if isinstance(found, ConfigProblem):
            return found, found.file
        with self._lock:
            cached = self._linters.get(found)
            if cached is None:
                try:
                    config = load_config_file(found) if found is not None else Config()
                    cached = Linter(config)
                except MedlintError as err:
                    if found is None:
                        raise  # the bundled rules themselves failed: a broken install
                    cached = _problem(found, err)
                self._linters[found] = cached
            return cached, found

    def known_config_files(self) -> set[Path]:
        with self._lock:
            return {p for p in self._linters if p is not None}
