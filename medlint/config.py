"""Settings: which packs and rules run, at what severity, and what fails a run.

A :class:`Config` is built from a mapping (a ``.medlint.yaml`` file, ``[tool.medlint]`` in
``pyproject.toml``, a CMS's own settings) and validated strictly: an unknown key is an error
that names the file and the key, because a silently ignored typo is a rule that never runs.
(Rule ids are checked against the loaded rule set by the Linter, which knows them.)

Command-line flags are layered on top with :meth:`Config.merged`, the way ruff layers them:
``--select``, ``--packs`` and ``--fail-on`` replace the file's value (a fresh ``--select``
also drops the file's ``ignore``, so naming a rule on the command line runs it), while
``--ignore``, ``--extend-select`` and ``--rules-dir`` add to it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError
from .finding import CATEGORIES, Severity

KEYS = ("packs", "select", "ignore", "severity", "fail_on", "rule_dirs", "include", "exclude",
        "per_path", "extend_select")


@dataclass(frozen=True)
class Config:
    """Validated settings, immutable so that one Config can be shared by every Linter and
    thread. (A docstring also spares ``dataclass`` from computing one from the signature
    on every start.)"""

    packs: tuple[str, ...] | None = None  # None: every bundled pack
    select: tuple[str, ...] = ()  # empty: every enabled rule
    extend_select: tuple[str, ...] = ()  # rules added to the selection (e.g. off-by-default ones)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.INFO  # any finding fails a run, as the CLI documents
    rule_dirs: tuple[Path, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    #: glob -> partial settings (select/ignore/severity) applied to matching paths
    per_path: Mapping[str, "Config"] = field(default_factory=dict)
    #: where these settings came from, for error messages
    origin: str = "<defaults>"
    #: the folder globs (include, exclude, per_path) are relative to: the config file's
    root: Path | None = None
    #: key -> (origin, values) for values given on the command line rather than in ``origin``
    sources: Mapping[str, tuple[str, tuple[Any, ...]]] = field(default_factory=dict)

    def where(self, key: str, value: Any = None) -> str:
        """Who set ``key`` (or one ``value`` of it): the config file, or a command-line flag."""
        source = self.sources.get(key)
        if source is not None and (value is None or value in source[1]):
            return source[0]
        return self.origin

    @classmethod
    def coerce(cls, value: "Config | Mapping[str, Any] | str | Path | None") -> "Config":
        if value is None:
            return cls()
        if isinstance(value, Config):
            return value
        if isinstance(value, (str, Path)):
            from .configfile import load_config_file

            return load_config_file(Path(value))
        if isinstance(value, Mapping):
            return cls.from_mapping(value)
        raise ConfigError(f"config must be a Config, a mapping or a path, not {type(value).__name__}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], origin: str = "<config>", base: Path | None = None,
                     nested: bool = False) -> "Config":
        if not isinstance(data, Mapping):
            raise ConfigError(f"{origin}: settings must be a mapping, not {type(data).__name__}")
        allowed = ("select", "ignore", "severity", "extend_select") if nested else KEYS
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            from difflib import get_close_matches  # only for the error message

            close = get_close_matches(str(unknown[0]), allowed, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(f"{origin}: unknown key {unknown[0]!r} ({hint}allowed: {', '.join(allowed)})")

        def strings(key: str) -> tuple[str, ...]:
            value = data.get(key, ())
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{origin}: {key!r} must be a list of strings")
            return tuple(value)

        kwargs: dict[str, Any] = {"origin": origin, "root": base}
        for key in ("select", "ignore", "include", "exclude", "extend_select"):
            if key in data:
                kwargs[key] = strings(key)
        for key in ("include", "exclude"):
            _check_globs(origin, key, kwargs.get(key, ()))
        if "packs" in data:
            kwargs["packs"] = strings("packs")
        if "severity" in data:
            sev = data["severity"]
            if not isinstance(sev, Mapping):
                raise ConfigError(f"{origin}: 'severity' maps rule ids to error, warning or info")
            out = {}
            for rid, level in sev.items():
                try:
                    out[str(rid)] = Severity(level)
                except ValueError:
                    raise ConfigError(f"{origin}: severity of {rid!r} must be error, warning or info, not {level!r}") from None
            kwargs["severity"] = out
        if "fail_on" in data:
            try:
                kwargs["fail_on"] = Severity(data["fail_on"])
            except ValueError:
                raise ConfigError(f"{origin}: 'fail_on' must be error, warning or info") from None
        if "rule_dirs" in data:
            dirs = strings("rule_dirs")
            kwargs["rule_dirs"] = tuple((base / d) if base and not Path(d).is_absolute() else Path(d) for d in dirs)
        if "per_path" in data:
            pp = data["per_path"]
            if not isinstance(pp, Mapping):
                raise ConfigError(f"{origin}: 'per_path' maps globs to settings")
            for g in pp:
                if not isinstance(g, str) or not g.strip():
                    raise ConfigError(f"{origin}: per_path keys must be path globs such as 'legal/**' (got {g!r})")
            _check_globs(origin, "per_path", tuple(pp))
            kwargs["per_path"] = {g: cls.from_mapping(v, f"{origin}: per_path {g!r}", base, nested=True)
                                  for g, v in pp.items()}
        return cls(**kwargs)

    @cached_property
    def exclude_globs(self) -> Any:
        """``exclude`` compiled once (a :class:`medlint.globs.GlobSet`)."""
        return _glob_set(self.where("exclude"), "exclude", self.exclude)

    @cached_property
    def include_globs(self) -> Any:
        return _glob_set(self.where("include"), "include", self.include)

    def check_globs(self) -> None:
        """Raise ConfigError now for a glob that cannot be compiled (a Linter calls this,
        so a bad glob given through the API is reported when the Linter is built)."""
        _ = self.exclude_globs, self.include_globs
        _check_globs(self.origin, "per_path", tuple(self.per_path))

    def wants(self, path: Path, kind: str) -> bool:
        """Should this file (or folder) be linted? ``exclude`` applies to every file, even
        one named on the command line, because pre-commit always names files; ``include``
        only narrows what is found when walking folders (default: the known suffixes)."""
        from .files import DEFAULT_SUFFIXES

        if self.exclude and self.exclude_globs.match(path, self.root, is_dir=kind == "dir"):
            return False
        if kind != "file":
            return True
        if self.include:
            return bool(self.include_globs.match(path, self.root))
        return path.suffix.lower() in DEFAULT_SUFFIXES

    def merged(self, **overrides: Any) -> "Config":
        """A copy with CLI flags applied on top (None means "not given"); see module docs."""
        given = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(given) - set(KEYS)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        changes: dict[str, Any] = {}
        for key, value in given.items():
            if key in ("ignore", "extend_select", "rule_dirs", "exclude"):
                changes[key] = tuple(getattr(self, key)) + tuple(value)
            else:
                changes[key] = value
        if "select" in given and "ignore" not in given:
            changes["ignore"] = ()
        elif "select" in given:
            changes["ignore"] = tuple(given["ignore"])
        sources = dict(self.sources)
        for key, value in given.items():
            values = tuple(value) if isinstance(value, (tuple, list)) else (value,)
            sources[key] = (f"command line (--{key.replace('_', '-')})", values)
        return replace(self, sources=sources, **changes)


def _glob_set(origin: str, key: str, globs: tuple[str, ...]) -> Any:
    from .globs import GlobError, GlobSet

    try:
        return GlobSet(globs)
    except GlobError as err:
        raise ConfigError(f"{origin}: {key}: {err}") from None


def _check_globs(origin: str, key: str, globs: tuple[str, ...]) -> None:
    from .globs import GlobError, check_glob

    for g in globs:
        try:
            check_glob(g)
        except GlobError as err:
            raise ConfigError(f"{origin}: {key}: {err}") from None


def _prefix_of(entry: str, rule_id: str) -> bool:
    """``claim.absolute`` names ``claim.absolute-outcome`` and ``claim.absolute-safety``: a
    prefix must end where the id has a ``.`` or ``-``, so ``claim.ab`` names nothing."""
    entry = entry.rstrip(".-")
    return len(rule_id) > len(entry) and rule_id.startswith(entry) and rule_id[len(entry)] in ".-"


def matches(entry: str, rule_id: str, category: str, pack: str | None = None) -> bool:
    """Does a select/ignore entry (id, id prefix, category or pack) name this rule?"""
    return (entry == rule_id or entry == category or _prefix_of(entry, rule_id)
            or (pack is not None and entry == pack))


def valid_entry(entry: str, rule_ids: set[str], packs: set[str]) -> bool:
    if entry in CATEGORIES or entry in packs or entry in rule_ids:
        return True
    return any(_prefix_of(entry, r) for r in rule_ids)
