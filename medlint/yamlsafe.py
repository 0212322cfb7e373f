"""The one YAML loader for every file medlint reads: rule files, the lexicon, the fact table
and ``.medlint.yaml``.

Any repository can ship these files to a CI job, so they are read as untrusted data:

* PyYAML's *safe* loader: no Python tags, nothing is imported or run;
* no aliases (``*name``): a few nested aliases expand into billions of entries (the
  "billion laughs" file) and would exhaust memory while the value is built or printed;
* no key given twice in one mapping: a silent overwrite hides the first value;
* at most :data:`MAX_YAML_BYTES` per file, read through the same regular-file check as a
  draft (a FIFO named ``.medlint.yaml`` cannot hang the run).

Every mapping remembers the line it starts on (``__line__``) when ``lines=True``, for
error messages that name the line; :func:`strip_lines` removes those keys.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

#: Largest rule or configuration file read. The bundled packs total ~100 KB; a rule file
#: of 1 MB (some 50 000 terms) takes a minute or two to compile once (then it is cached); a
#: larger one would take many minutes, with no progress shown.
MAX_YAML_BYTES = 1024 * 1024

_LOADERS: dict[bool, Any] = {}


def _loader(lines: bool) -> Any:
    """The strict SafeLoader subclass, built on first use (PyYAML is imported lazily: with
    the compiled-rules cache a run that has no ``.medlint.yaml`` never imports it)."""
    cached = _LOADERS.get(lines)
    if cached is not None:
        return cached
    import yaml

    class _StrictLoader(yaml.SafeLoader):
        """SafeLoader without aliases or repeated keys (see the module docstring)."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not allowed in rule files or configuration files", mark)
            return super().compose_node(parent, index)

    def construct_mapping(loader: Any, node: Any) -> dict[str, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key_node.value!r} appears twice", key_node.start_mark)
                seen.add(key_node.value)
        mapping = loader.construct_mapping(node, deep=True)
        if lines:
            mapping["__line__"] = node.start_mark.line + 1
        return mapping

    _StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    _LOADERS[lines] = _StrictLoader
    return _StrictLoader


def load_text(text: str, where: str, error: Callable[[str], Exception], lines: bool = False) -> Any:
    """Parse ``text`` strictly; a problem raises ``error("FILE:LINE: malformed YAML: ...")``."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader(lines))  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f"{where}:{mark.line + 1}" if mark else where
        raise error(f"{at}: malformed YAML: {getattr(err, 'problem', None) or err}") from None
    except RecursionError:
        raise error(f"{where}: YAML nested too deeply") from None


def read_text(path: Path, error: Callable[[str], Exception], what: str = "file") -> str:
    """A small UTF-8 file, through the drafts' read path (regular files only, size cap)."""
    from .files import ReadError, read_bytes

    try:
        data = read_bytes(Path(path), limit=MAX_YAML_BYTES)
        return data.decode("utf-8")
    except ReadError as err:
        reason = str(err)
        if reason.startswith(f"{path}: "):
            reason = reason[len(f"{path}: "):]
        raise error(f"{path}: cannot read {what}: {reason}") from None
    except UnicodeDecodeError as err:
        raise error(f"{path}: cannot read {what}: {err}") from None


def load_file(path: Path, error: Callable[[str], Exception], what: str = "file", lines: bool = False) -> Any:
    return load_text(read_text(path, error, what), str(path), error, lines)


def strip_lines(value: Any) -> Any:
    """``value`` without the ``__line__`` keys a ``lines=True`` load adds."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


__all__ = ["MAX_YAML_BYTES", "load_file", "load_text", "read_text", "strip_lines"]
