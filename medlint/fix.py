"""Applying the suggested replacements of substitution rules, safely (``--fix``, ``--diff``).

Only rules of kind ``substitution`` are fixed automatically: their suggestion is a drop-in
phrase ("committed suicide" -> "died by suicide"). Other rules' suggestions are advice for
the writer ("add a sentence saying a clinician supervises the dose") and are never applied.

What "safely" means here, because a linter must never damage a draft:

* A fix replaces exactly the matched words. A match that spans markup (``committed
  **suicide**``, a comment, inline code) is left alone: replacing it would break the markup.
  A match that spans a line break keeps the line break, so line endings and line numbers
  do not move.
* Two overlapping fixes are never applied in one pass. Passes repeat (at most
  ``MAX_PASSES``) until no fix is left, so one ``--fix`` reaches a fixed point and a second
  ``--fix`` changes nothing.
* The file is written to a temporary file in the same folder (same file system), flushed,
  given the original's permissions, then renamed over the original with ``os.replace``,
  which is atomic: a crash leaves either the old file or the new one, never half of each.
  A symbolic link is followed, so the link stays a link.
* The bytes are written in the encoding the file was read in, with its byte-order mark.
* A file whose bytes changed since they were linted (an editor saved it meanwhile) is
  refused, so nobody's work is overwritten.
"""
from __future__ import annotations

import difflib
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

import regex

from .document import Document, parse
from .finding import Finding, Severity

if TYPE_CHECKING:
    from .files import Source
    from .linter import Linter, LintResult
    from .ruleset import Rule

#: Fix passes per file; a rule set whose swaps feed each other stops here, reported.
MAX_PASSES = 10

# diff lines end at LF only, as git and patch read them: a lone CR is inside a line (a file
# with CR line ends is one line to them), so the diff applies with git apply
_LINE = regex.compile(r"[^\n]*\n|[^\n]+\Z")
_SPACE = regex.compile(r"\s+")


class FixError(Exception):
    """A fix could not be written; the file is unchanged. The message names the file."""


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    replacement: str
    finding: Finding


def is_fixable(finding: Finding, rules: Mapping[str, "Rule"]) -> bool:
    """Only substitution rules' suggestions are replacements; the rest are advice."""
    rule = rules.get(finding.rule)
    return rule is not None and rule.kind == "substitution" and finding.suggestion is not None


def keep_breaks(original: str, replacement: str) -> str | None:
    """``replacement`` with the line breaks of ``original`` kept in the same word gaps.

    "committed\\r\\nsuicide" -> "died\\r\\nby suicide": the line count and the file's line
    endings stay as they were. Gaps are lined up from the start, else from the end; None
    when neither puts every line break in a gap of the replacement (the fix is then left
    to the writer).
    """
    gaps = [m.group() for m in _SPACE.finditer(original)]
    breaks = {i for i, g in enumerate(gaps) if "\n" in g or "\r" in g}
    if not breaks:
        return replacement
    slots = list(_SPACE.finditer(replacement))
    if max(breaks) < len(slots):
        shift = 0  # gaps line up from the start: "committed\nsuicide" -> "died\nby suicide"
    elif min(breaks) >= len(gaps) - len(slots):
        shift = len(gaps) - len(slots)  # from the end: "failed suicide\nattempt" -> "suicide\nattempt"
    else:
        return None
    out, pos = [], 0
    for i, m in enumerate(slots):
        out.append(replacement[pos:m.start()])
        out.append(gaps[i + shift] if i + shift in breaks else m.group())
        pos = m.end()
    out.append(replacement[pos:])
    return "".join(out)


def plan(doc: Document, findings: Iterable[Finding], rules: Mapping[str, "Rule"]) -> tuple[list[Edit], list[tuple[Finding, str]]]:
    """Edits for one pass (sorted, never overlapping) and the findings left alone, with why."""
    edits: list[Edit] = []
    skipped: list[tuple[Finding, str]] = []
    end = -1
    for f in sorted((f for f in findings if is_fixable(f, rules)), key=lambda f: (f.start, -f.end, f.rule)):
        original = doc.text[f.start:f.end]
        if original != doc.shown(f.start, f.end):
            skipped.append((f, "the words span markup"))
            continue
        if f.start < end:
            continue  # overlaps an edit of this pass; the next pass looks again
        replacement = keep_breaks(original, f.suggestion or "")
        if replacement is None:
            skipped.append((f, "the words span more lines than the replacement has words"))
            continue
        if replacement == original:
            continue
        edits.append(Edit(f.start, f.end, replacement, f))
        end = f.end
    return edits, skipped


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.start):
        assert e.start >= pos, "overlapping edits"
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


@dataclass
class FixResult:
    text: str
    result: "LintResult"  # findings of the fixed text
    applied: list[Finding] = field(default_factory=list)
    skipped: list[tuple[Finding, str]] = field(default_factory=list)
    converged: bool = True


def fix_text(linter: "Linter", text: str, format: str = "markdown", path: str | None = None,
             floor: Severity = Severity.INFO) -> FixResult:
    """Apply every fix the linter suggests for ``text``, pass after pass, up to a fixed point."""
    rules = {r.id: r for r in linter.ruleset.rules}
    applied: list[Finding] = []
    for _ in range(MAX_PASSES):
        doc = parse(text, format, narrow=True)
        result = linter.check_document(doc, path)
        edits, skipped = plan(doc, (f for f in result.findings if f.severity >= floor), rules)
        if not edits:
            return FixResult(text, result, applied, skipped)
        text = apply_edits(text, edits)
        applied.extend(e.finding for e in edits)
    doc = parse(text, format, narrow=True)
    result = linter.check_document(doc, path)
    _, skipped = plan(doc, result.findings, rules)
    return FixResult(text, result, applied, skipped, converged=False)


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff (``git apply``/``patch`` compatible) of the fix; empty when unchanged."""
    if old == new:
        return ""
    out = []
    for line in difflib.unified_diff(_lines(old), _lines(new), f"a/{path}", f"b/{path}"):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def write_fixed(path: Path, source: "Source", new_text: str) -> None:
    """Replace ``path``'s contents with ``new_text`` atomically, or raise FixError untouched."""
    from .files import ReadError, read_bytes

    target = Path(os.path.realpath(path))
    try:
        data = source.bom + new_text.encode(source.encoding)
    except UnicodeEncodeError as err:
        raise FixError(f"{path}: the fixed text cannot be written in {source.encoding} "
                       f"({err.reason}); not fixed") from None
    try:
        current = read_bytes(target)
        st = os.stat(target)
    except (ReadError, OSError) as err:
        raise FixError(f"{path}: {err}; not fixed") from None
    if hashlib.sha256(current).hexdigest() != source.digest:
        raise FixError(f"{path}: changed since it was read; not fixed (run medlint again)")
    # a read-only file stays unchanged, as in-place editors and ruff leave it: the rename
    # below would replace it even though nobody may write to it
    if not os.access(target, os.W_OK) or not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise FixError(f"{path}: read-only file (no write permission); not fixed")
    try:
        # a short name: the draft's own name may already be near the 255-byte limit
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".medlint-", suffix=".tmp")
    except OSError as err:
        raise FixError(f"{path}: cannot write a temporary file next to it ({err.strerror or err}); "
                       "not fixed") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if hasattr(os, "chown"):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass  # not allowed to give the file away: it keeps our owner, as editors do
        now = os.stat(target)
        if (now.st_size, now.st_mtime_ns, now.st_ino) != (st.st_size, st.st_mtime_ns, st.st_ino):
            raise FixError(f"{path}: changed while the fix was being written; not fixed")
        os.replace(tmp, target)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(err, OSError):
            raise FixError(f"{path}: cannot write the fix ({err.strerror or err}); not fixed") from None
        raise


@dataclass
class FixOutcome:
    """What ``medlint check --fix/--diff`` reports for one file."""

    result: "LintResult"  # findings to report: after the fix if it was written
    diff: str = ""
    applied: int = 0
    notes: list[str] = field(default_factory=list)
    error: str | None = None


def fix_source(linter: "Linter", source: "Source", format: str, shown: str, path: Path | None,
               write: bool, floor: Severity = Severity.INFO) -> FixOutcome:
    """Fix one read file; write it back when ``write`` (never for stdin)."""
    fixed = fix_text(linter, source.text, format, shown, floor)
    notes = [f"{shown}:{f.line}:{f.column}: [{f.rule}] not fixed automatically: {why}"
             for f, why in fixed.skipped]
    if not fixed.converged:
        notes.append(f"{shown}: fixes still pending after {MAX_PASSES} passes (rules whose swaps "
                     "undo each other?); check the result")
    diff = unified_diff(shown, source.text, fixed.text)
    applied = len(fixed.applied) if diff else 0
    if not write or not diff:
        return FixOutcome(fixed.result, diff, applied, notes)
    assert path is not None, "stdin cannot be fixed in place"
    try:
        write_fixed(path, source, fixed.text)
    except FixError as err:
        return FixOutcome(linter.check(source.text, format, shown), diff, 0, notes, str(err))
    notes.append(f"{shown}: fixed {applied} finding{'s' if applied != 1 else ''}")
    return FixOutcome(fixed.result, diff, applied, notes)


def fix_files(state: Any, items: Iterable[tuple[str, Path | None, Any]], write: bool, floor: Severity,
              stdin_format: str = "markdown", stdin_filename: str | None = None,
              keep_source: bool = False, diffs: list[str] | None = None) -> Iterator[tuple[str, str, Any]]:
    """``medlint check --fix/--diff``: outcomes shaped like :func:`medlint.parallel.run_files`,
    one file at a time (fixes write files); each file's diff is appended to ``diffs``."""
    import sys

    from .document import format_for_path
    from .files import ReadError, SkipFile, decode, link_outside, read_source, read_stream

    for shown, path, problem in items:
        if problem:
            yield ("skip" if isinstance(problem, SkipFile) else "error"), shown, str(problem)
            continue
        try:
            if path is None:
                source = decode(read_stream(sys.stdin.buffer, stdin_filename or "-"), stdin_filename or "-")
                shown, file_format = stdin_filename or "-", stdin_format
            else:
                source, file_format = read_source(path), format_for_path(path)
        except SkipFile as skip:
            yield "skip", shown, str(skip)
            continue
        except ReadError as err:
            yield "error", shown, str(err)
            continue
        config_path = path if path is not None else (Path(stdin_filename) if stdin_filename else None)
        linter, _root = state.linter_for(config_path)
        # never write through a symbolic link that leads out of the working folder (a
        # repository's link to a shared folder or to /etc): lint it, do not fix it
        escape = link_outside(path, Path.cwd()) if write and path is not None else None
        outcome = fix_source(linter, source, file_format, shown, path, write and escape is None, floor)
        if escape is not None and outcome.diff:
            outcome.result, outcome.applied = linter.check(source.text, file_format, shown), 0
            outcome.error = (f"{shown}: not fixed: reached through the symbolic link {escape}, which leads "
                             "outside the working folder; run medlint --fix where the file lives")
        if diffs is not None:
            diffs.append(outcome.diff)
        yield "ok", shown, (outcome.result, linter.config.fail_on, source.text if keep_source else None)
        for note in outcome.notes:
            yield "skip", shown, note
        if outcome.error:
            yield "fix-error", shown, outcome.error
