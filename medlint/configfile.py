"""Finding and reading configuration files.

Discovery walks up from the checked file's directory and stops at the first directory
holding ``.medlint.yaml`` or a ``pyproject.toml`` with a ``[tool.medlint]`` table. When one
directory holds both, ``.medlint.yaml`` wins (a dedicated file is the more specific intent),
and the ``pyproject.toml`` table is ignored. A ``pyproject.toml`` without a ``[tool.medlint]``
table does not stop the search, so a Python project's own pyproject does not hide a
``.medlint.yaml`` further up. Paths in a config file (``rule_dirs``, and the globs of
``include``, ``exclude`` and ``per_path``) are relative to the folder that holds it.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


from .config import Config
from .errors import ConfigError

CONFIG_NAMES = (".medlint.yaml", ".medlint.yml")


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: cannot read: {err}") from None


def load_config_file(path: Path) -> Config:
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    if path.name == "pyproject.toml":
        table = _tool_table(path, _toml(path)).get("medlint")
        if table is None:
            raise ConfigError(f"{path}: no [tool.medlint] table")
        return Config.from_mapping(table, origin=f"{path} [tool.medlint]", base=path.parent)
    # the one strict loader of rule files too (yamlsafe.py): safe, no aliases (a "billion
    # laughs" config would take minutes and gigabytes), no repeated keys, a size cap;
    # PyYAML is imported only when a YAML config exists
    from .yamlsafe import load_file

    data = load_file(path, ConfigError, "configuration file")
    return Config.from_mapping(data if data is not None else {}, origin=str(path), base=path.parent)


def _tool_table(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """The ``[tool]`` table of a pyproject.toml; ``tool = "medlint"`` is not one."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        if "medlint" in str(tool):
            raise ConfigError(f"{path}: 'tool' must be a table with a [tool.medlint] table in it, "
                              f"not {type(tool).__name__}")
        return {}
    return tool


def _may_name_medlint(pyproject: Path) -> bool:
    """False only when the file certainly has no ``medlint`` key: its text never spells the
    word and holds no ``\\u``/``\\U`` escape that could spell it in a quoted key.

    A Python project's own pyproject.toml is usually about something else, and reading it
    with tomllib costs ~10 ms of a hook's cold start (the import alone is most of it).
    Anything unreadable or undecodable is left to the full reading, which reports it.
    """
    try:
        text = pyproject.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return True
    return "medlint" in text or "\\u" in text or "\\U" in text


def find_config_file(directory: Path) -> Path | None:
    """The nearest config file at or above ``directory``.

    Not cached here: a long-running process (a CMS) must see a config edited between two
    runs. The CLI caches per folder for the length of one run."""
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _may_name_medlint(pyproject):
            try:
                if "medlint" in _tool_table(pyproject, _toml(pyproject)):
                    return pyproject
            except ConfigError:
                # someone else's broken pyproject is not our business, unless it is ours
                try:
                    ours = "tool.medlint" in pyproject.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    ours = False
                if ours:
                    raise
                continue
    return None
