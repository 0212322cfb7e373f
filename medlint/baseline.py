"""A content-keyed baseline: adopt medlint on a repository full of existing drafts.

``medlint check --write-baseline FILE`` records today's findings; ``--baseline FILE`` then
reports only findings that are not recorded, so new problems block a commit while old
ones are fixed at the writers' pace.

A finding is recorded by what it is about, not where it is: rule id, path, the matched text
and the sentence around it (both with whitespace collapsed, so re-wrapping a paragraph
changes nothing). Line numbers are left out on purpose: inserting a paragraph above an old
finding must not turn it into a "new" one. The same words can be flagged twice in one file
(the same sentence repeated), so entries carry a count, and a third copy is reported.

Paths are stored relative to the baseline file's folder, so the baseline works whatever
folder medlint is run from (pre-commit runs it from the repository root). The file is JSON,
sorted and indented, so a reviewer can read its diff; it is written atomically.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import ConfigError
from .finding import Finding
from .globs import relative_posix

VERSION = 1
Key = tuple[str, str, str, str]  # rule, path, match, context


def _squash(text: str) -> str:
    return " ".join(text.split())


def fingerprint(finding: Finding, root: Path) -> Key:
    """What identifies a finding across edits elsewhere in the file."""
    path = relative_posix(finding.path, root) if finding.path and finding.path != "-" else "-"
    return (finding.rule, path, _squash(finding.match), _squash(finding.context))


@dataclass
class Baseline:
    """Recorded findings (fingerprint -> how many times it occurred)."""

    path: Path
    counts: Counter[Key]

    @classmethod
    def load(cls, path: Path) -> "Baseline":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: baseline file not found (create it with --write-baseline)") from None
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"{path}: cannot read baseline: {err}") from None
        except json.JSONDecodeError as err:
            raise ConfigError(f"{path}:{err.lineno}: baseline is not valid JSON: {err.msg}") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
            raise ConfigError(f"{path}: not a medlint baseline (version {VERSION}); regenerate it with --write-baseline")
        counts: Counter[Key] = Counter()
        for i, entry in enumerate(data["findings"]):
            try:
                key = tuple(str(entry[k]) for k in ("rule", "path", "match", "context"))
                count = entry.get("count", 1)
                # a whole number: not 1.5, not true, not 1e400 (a float infinity in JSON)
                if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                    raise ValueError(count)
            except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
                raise ConfigError(f"{path}: baseline entry #{i + 1} needs rule, path, match, context "
                                  "and a whole-number count") from None
            counts[key] += count  # type: ignore[index]
        return cls(Path(path), counts)

    @property
    def root(self) -> Path:
        return self.path.resolve().parent

    def filter(self, findings: Iterable[Finding]) -> tuple[list[Finding], int]:
        """Findings not covered by the baseline, and how many were covered.

        Findings are taken in file order, so when a fingerprint now occurs more often than
        recorded, the later occurrences are the ones reported.
        """
        left = Counter(self.counts)
        new: list[Finding] = []
        known = 0
        for f in sorted(findings, key=Finding.sort_key):
            key = fingerprint(f, self.root)
            if left[key] > 0:
                left[key] -= 1
                known += 1
            else:
                new.append(f)
        return new, known


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Record ``findings`` in ``path`` (replacing it atomically); returns how many."""
    path = Path(path)
    root = path.resolve().parent
    counts: Counter[Key] = Counter(fingerprint(f, root) for f in findings)
    entries = [{"rule": k[0], "path": k[1], "match": k[2], "context": k[3], "count": n}
               for k, n in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2], kv[0][3]))]
    data = {
        "version": VERSION,
        "tool": "medlint",
        "about": "Findings recorded by `medlint check --write-baseline`; `--baseline` hides them. "
                 "Keyed on rule, path, matched text and sentence, not line numbers.",
        "findings": entries,
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=root)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as err:
        raise ConfigError(f"{path}: cannot write baseline: {err.strerror or err}") from None
    return sum(counts.values())


__all__ = ["Baseline", "fingerprint", "write_baseline"]
