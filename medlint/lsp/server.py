"""The language server: pygls wiring, buffers, debounced linting and publishing.

Why it is shaped this way:

* **Buffers, not files.** Writers want findings while they type, so the server keeps its
  own copy of every open draft, applying each ``didChange`` with LSP's line rules
  (:mod:`.positions`), and lints that copy.
* **Debounced, never piling up.** A change cancels the draft's pending lint and schedules
  a new one ``debounce`` ms later. Lints run on one worker thread, off the event loop, so
  the server keeps reading changes while it lints; a lint whose version is no longer the
  draft's current one is dropped before it starts (and its result is dropped if it
  finishes late). Diagnostics carry the version they were computed for. Hovers and code
  actions wait for a pending lint rather than start one (editors ask for code actions at
  every keystroke), and plan their edits on the worker thread too.
* **One Linter per configuration file**, found as ``medlint check`` finds it and rebuilt
  when a ``.medlint.yaml`` or ``pyproject.toml`` changes (``workspace/didChangeWatchedFiles``
  or a save in the editor). A broken configuration becomes one diagnostic on the
  configuration file and one window message; the drafts under it get no findings until it
  is fixed, as ``medlint check`` would exit 2.
* **Thin.** Findings come from :meth:`medlint.Linter.check`; quick fixes from
  :mod:`.actions` (which reuses ``medlint.fix``); hover text from ``medlint explain``.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..ruledocs import anchor  # the anchor docs/rules.md gives each rule
from .actions import DEFAULT_REASON, actions_for
from .configs import CONFIG_FILE_NAMES, ConfigProblem, LinterCache
from .positions import LspText, apply_changes

if TYPE_CHECKING:
    from ..finding import Finding
    from ..linter import Linter

log = logging.getLogger("medlint.lsp")

__all__ = ["MedlintLanguageServer", "Options", "build_server", "format_of"]

#: LSP language ids -> medlint readers; other ids fall back to the file's suffix.
_LANGUAGES = {"markdown": "markdown", "md": "markdown", "html": "html", "plaintext": "text",
              "text": "text", "txt": "text"}

_SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}

def _default_docs_url() -> str:
    """Where a rule id links to when the editor does not say (``rulesDocsUrl``): a source
    checkout's own docs/rules.md; "" for an installed package, which has no published
    reference to point at: then diagnostics carry no link rather than a dead one
    (``medlint explain ID`` prints the same text)."""
    local = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    if local.is_file():
        return local.as_uri()
    return ""


def format_of(language_id: str | None, path: str | None) -> str | None:
    """The medlint reader for an open document, or None for documents medlint does not read
    (a YAML config, a Python file): the language id first, then the file's suffix."""
    from ..document import format_for_path
    from ..files import DEFAULT_SUFFIXES

    if language_id and language_id.lower() in _LANGUAGES:
        return _LANGUAGES[language_id.lower()]
    if path:
        suffix = Path(path).suffix.lower()
        if suffix in DEFAULT_SUFFIXES or format_for_path(path, default="") != "":
            return format_for_path(path)
    return None


@dataclass
class Options:
    """``initializationOptions`` the server understands (all optional)."""

    debounce: float = 0.25  # seconds; ``debounce`` is given in milliseconds
    docs_url: str = field(default_factory=_default_docs_url)
    suppress_reason: str = DEFAULT_REASON
    report_unused_suppressions: bool = False  # as ``medlint check --report-unused-suppressions``

    @classmethod
    def from_init(cls, raw: Any) -> tuple["Options", list[str]]:
        """Options from the client's ``initializationOptions``, and complaints about them."""
        out = cls()
        problems: list[str] = []
        if raw is None:
            return out, problems
        if not isinstance(raw, dict):
            return out, [f"initializationOptions must be an object, not {type(raw).__name__}"]
        raw = raw.get("medlint", raw) if isinstance(raw.get("medlint"), dict) else raw
        for key, value in raw.items():
            if key == "debounce":
                if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 10_000:
                    out.debounce = value / 1000
                else:
                    problems.append(f"debounce must be a number of milliseconds (0-10000), not {value!r}")
            elif key == "rulesDocsUrl":
                if isinstance(value, str) and value:
                    out.docs_url = value
                else:
                    problems.append(f"rulesDocsUrl must be a URL, not {value!r}")
            elif key == "suppressReason":
                if isinstance(value, str):
                    out.suppress_reason = value
                else:
                    problems.append(f"suppressReason must be a string, not {value!r}")
            elif key == "reportUnusedSuppressions":
                if isinstance(value, bool):
                    out.report_unused_suppressions = value
                else:
                    problems.append(f"reportUnusedSuppressions must be true or false, not {value!r}")
            else:
                problems.append(f"unknown initialization option {key!r} (known: debounce, rulesDocsUrl, "
                                "suppressReason, reportUnusedSuppressions)")
        return out, problems


@dataclass
class OpenDoc:
    """The server's copy of one open draft."""

    uri: str
    text: str
    version: int | None
    format: str
    path: Path | None
    closed: bool = False
    task: "asyncio.Task[Any] | None" = None
    published_seq: int = -1
    last: "Outcome | None" = None


_UNSET = object()


@dataclass
class Outcome:
    """One lint of one version of a draft."""

    version: int | None
    seq: int
    generation: int
    text: str
    positions: LspText
    linter: "Linter | None" = None
    findings: "list[Finding]" = field(default_factory=list)
    diagnostics: list[lsp.Diagnostic] = field(default_factory=list)
    problem: ConfigProblem | None = None
    notes: list[str] = field(default_factory=list)
    #: the "fix all" text (None: nothing to fix), computed on the first request
    fixed: Any = field(default=_UNSET, repr=False)


class _Protocol(LanguageServerProtocol):
    """pygls's protocol without its copy of each document.

    pygls keeps every open document in its workspace and applies changes to it with
    ``str.splitlines``'s idea of a line, which also breaks at U+2028, U+0085, form feed
    and others: after such a character its copy drifts from the editor's. This server keeps
    its own exact copy (:class:`OpenDoc`), so the handlers below only pass the notification
    on; ``workspace.get_text_document`` is not used anywhere.
    """

    def _forward(self, method: str, params: Any) -> Any:
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams) -> Any:
        yield from self._forward(lsp.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams) -> Any:
        yield from self._forward(lsp.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams) -> Any:
        yield from self._forward(lsp.TEXT_DOCUMENT_DID_CLOSE, params)


class MedlintLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("medlint", __version__,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
                         protocol_cls=_Protocol)
        self.docs: dict[str, OpenDoc] = {}
        self.options = Options()
        self.encoding = "utf-16"
        self.linters = LinterCache(Path.cwd())
        # one worker: lints of a draft never overtake each other, and the event loop keeps
        # the GIL to itself often enough to read every change while a lint runs
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="medlint-lint")
        self._seq = itertools.count()
        self.config_diagnostics: dict[Path, ConfigProblem] = {}
        self._shown: dict[Path, str] = {}  # config file -> the problem last shown in a window
        self._notes: dict[str, list[str]] = {}
        #: bumped when a config file changes: a lint begun before is dropped when it ends
        self.generation = 0

    # -- linting -----------------------------------------------------------------------------
    def schedule(self, doc: OpenDoc, delay: float) -> None:
        """(Re)start the draft's lint ``delay`` seconds from now, cancelling a pending one."""
        if doc.task is not None and not doc.task.done():
            doc.task.cancel()
        doc.task = asyncio.get_running_loop().create_task(self._lint_later(doc, delay))

    async def _lint_later(self, doc: OpenDoc, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        await self.lint_now(doc)

    async def lint_now(self, doc: OpenDoc) -> Outcome | None:
        """Lint the draft's current version on the worker thread and publish the result
        (unless a newer version or a newer lint got there first)."""
        version, text, seq = doc.version, doc.text, next(self._seq)
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(self.executor, self._lint_snapshot, doc, version, text, seq)
        except RuntimeError:  # the executor was shut down: the server is exiting
            return None
        if (outcome is None or doc.closed or doc.version != version or seq < doc.published_seq
                or outcome.generation != self.generation):
            return None
        doc.published_seq = seq
        doc.last = outcome
        if outcome.problem is not None:
            self.report_config_problem(outcome.problem)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=doc.uri, version=version, diagnostics=outcome.diagnostics))
        if outcome.notes != self._notes.get(doc.uri, []):
            self._notes[doc.uri] = outcome.notes
            for note in outcome.notes:
                self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Warning,
                                                             message=f"medlint: {note}"))
        return outcome

    def _lint_snapshot(self, doc: OpenDoc, version: int | None, text: str, seq: int) -> Outcome | None:
        """Runs on the worker thread. None: the snapshot is stale, skip it."""
        if doc.closed or doc.version != version:
            return None
        generation = self.generation
        positions = LspText(text, self.encoding)
        try:
            found, _config_file = self.linters.linter_for(doc.path)
            if isinstance(found, ConfigProblem):
                return Outcome(version, seq, generation, text, positions, problem=found)
            linter = found
            if doc.path is not None and not linter.config.wants(doc.path, "explicit"):
                # excluded by the config, as ``medlint check`` skips it even when named
                return Outcome(version, seq, generation, text, positions, linter)
            shown = str(doc.path) if doc.path is not None else None
            result = linter.check(text, doc.format, shown)
            diagnostics = [self.diagnostic(positions, f) for f in result.findings]
            if self.options.report_unused_suppressions:
                for f in result.unused_suppressions:  # faded out by editors that know the tag
                    diag = self.diagnostic(positions, f)
                    diag.code_description = None  # not a rule of the rules reference
                    diag.tags = [lsp.DiagnosticTag.Unnecessary]
                    diagnostics.append(diag)
            notes = []
            for note in result.problems:
                diag = self._note_diagnostic(positions, shown, note)
                if diag is None:
                    notes.append(note)
                else:
                    diagnostics.append(diag)
            return Outcome(version, seq, generation, text, positions, linter, result.findings, diagnostics,
                           notes=notes)
        except Exception:  # a bug must not take the editor's server down: say so, keep going
            message = traceback.format_exc()
            log.error("lint failed: %s", message)
            return Outcome(version, seq, generation, text, positions,
                           notes=[f"internal error while linting {doc.uri}:\n{message}"])

    def diagnostic(self, positions: LspText, f: "Finding") -> lsp.Diagnostic:
        docs = self.options.docs_url
        return lsp.Diagnostic(
            range=self.range(positions, f.start, f.end),
            severity=_SEVERITY.get(f.severity.value, lsp.DiagnosticSeverity.Warning),
            code=f.rule,
            code_description=lsp.CodeDescription(href=f"{docs}#{anchor(f.rule)}") if docs else None,
            source="medlint",
            message=f.message,
        )

    def _note_diagnostic(self, positions: LspText, shown: str | None, note: str) -> lsp.Diagnostic | None:
        """A note about one line of the draft (a suppression naming an unknown rule) is shown
        on that line; other notes (a rule out of time) go to the log."""
        prefix = f"{shown or '<text>'}:"
        if not note.startswith(prefix):
            return None
        line_text, sep, message = note[len(prefix):].partition(": ")
        if not sep or not line_text.isdigit():
            return None
        line = int(line_text) - 1
        if not 0 <= line < len(positions.starts):
            return None
        start, end = positions.line_span(line)
        return lsp.Diagnostic(range=self.range(positions, start, end), severity=lsp.DiagnosticSeverity.Warning,
                              source="medlint", message=message)

    @staticmethod
    def range(positions: LspText, start: int, end: int) -> lsp.Range:
        sl, sc = positions.position(start)
        el, ec = positions.position(end)
        return lsp.Range(start=lsp.Position(line=sl, character=sc), end=lsp.Position(line=el, character=ec))

    async def current(self, doc: OpenDoc) -> Outcome | None:
        """The findings of the draft as it is now, for a code action or a hover.

        A pending lint is waited for rather than jumped: editors ask for code actions at
        every keystroke, and linting at each of those requests would undo the debounce.
        None when the writer keeps typing (the editor asks again)."""
        for _ in range(5):
            last = doc.last
            if (last is not None and last.version == doc.version and last.generation == self.generation
                    and last.text == doc.text):
                return last
            task = doc.task
            if task is not None and not task.done():
                await asyncio.wait({task})  # returns when it ends, cancelled or not
                continue
            outcome = await self.lint_now(doc)
            if outcome is not None:
                return outcome
        return None

    # -- configuration -------------------------------------------------------------------------
    def report_config_problem(self, problem: ConfigProblem) -> None:
        if self.config_diagnostics.get(problem.file) == problem:
            return
        self.config_diagnostics[problem.file] = problem
        at = lsp.Position(line=problem.line, character=problem.column)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=from_fs_path(str(problem.file)) or problem.file.as_uri(),
            diagnostics=[lsp.Diagnostic(
                range=lsp.Range(start=at, end=lsp.Position(line=problem.line + 1, character=0)),
                severity=lsp.DiagnosticSeverity.Error, source="medlint", message=problem.message)]))
        if self._shown.get(problem.file) == problem.message:
            return  # one save can arrive twice (a file watcher and didSave): one message
        self._shown[problem.file] = problem.message
        self.window_show_message(lsp.ShowMessageParams(
            type=lsp.MessageType.Error,
            message=f"medlint: {problem.message} (drafts under it are not checked until it is fixed)"))

    async def config_changed(self) -> None:
        """Forget every Linter, re-lint every open draft, clear problems that went away."""
        self.generation += 1
        self.linters.reset()
        before = dict(self.config_diagnostics)
        self.config_diagnostics.clear()
        for doc in list(self.docs.values()):
            if doc.task is not None and not doc.task.done():
                doc.task.cancel()
        await asyncio.gather(*(self.lint_now(doc) for doc in list(self.docs.values())))
        for file in before:
            if file not in self.config_diagnostics:
                self._shown.pop(file, None)
                self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                    uri=from_fs_path(str(file)) or file.as_uri(), diagnostics=[]))


def is_config_file(uri: str) -> bool:
    path = to_fs_path(uri)
    return path is not None and os.path.basename(path) in CONFIG_FILE_NAMES


def _markdown_escape(text: str) -> str:
    out = []
    for char in text:
        out.append("\\" + char if char in "\\`*_[]<>#|" else char)
    return "".join(out)


def explain_markdown(explanation: str) -> str:
    """``medlint explain``'s text as Markdown that renders as it reads in a terminal."""
    lines = explanation.split("\n")
    out = [f"**{_markdown_escape(lines[0])}**"]
    for line in lines[1:]:
        if line.startswith("  - "):
            out.append("- " + _markdown_escape(line[4:]))
        else:
            out.append(_markdown_escape(line))
    return "\n".join(out)


def build_server() -> MedlintLanguageServer:
    server = MedlintLanguageServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: MedlintLanguageServer, params: lsp.InitializeParams) -> None:
        ls.options, problems = Options.from_init(params.initialization_options)
        encoding = ls.workspace.position_encoding
        ls.encoding = str(getattr(encoding, "value", encoding) or "utf-16")
        root = ls.workspace.root_path
        if root and os.path.isdir(root):
            ls.linters.fallback_folder = Path(root)
        for problem in problems:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Warning,
                                                         message=f"medlint: {problem}"))

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: MedlintLanguageServer, params: lsp.InitializedParams) -> None:
        caps = ls.client_capabilities
        watch = caps.workspace and caps.workspace.did_change_watched_files
        if watch and watch.dynamic_registration:
            watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILE_NAMES]
            try:
                await ls.client_register_capability_async(lsp.RegistrationParams(registrations=[
                    lsp.Registration(id="medlint-config-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                     register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))
            except Exception as err:  # a client that says yes and then refuses: saves still reload
                log.warning("could not register file watchers: %s", err)
        # compile the rules now, not when the first draft opens
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(ls.executor, _warm, ls.linters)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: MedlintLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        path = to_fs_path(item.uri) if item.uri.startswith("file:") else None
        fmt = format_of(item.language_id, path or item.uri)
        if fmt is None:
            return
        old = ls.docs.pop(item.uri, None)
        if old is not None:
            old.closed = True
        doc = OpenDoc(item.uri, item.text, item.version, fmt, Path(path) if path else None)
        ls.docs[item.uri] = doc
        ls.schedule(doc, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: MedlintLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        doc = ls.docs.get(params.text_document.uri)
        if doc is None:
            return
        doc.text = apply_changes(
            doc.text, ((c.text, getattr(c, "range", None)) for c in params.content_changes), ls.encoding)
        doc.version = params.text_document.version
        ls.schedule(doc, ls.options.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MedlintLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        doc = ls.docs.pop(params.text_document.uri, None)
        if doc is None:
            return
        doc.closed = True
        if doc.task is not None and not doc.task.done():
            doc.task.cancel()
        ls._notes.pop(doc.uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=doc.uri, diagnostics=[]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: MedlintLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        if is_config_file(params.text_document.uri):
            await ls.config_changed()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched(ls: MedlintLanguageServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(is_config_file(change.uri) for change in params.changes):
            await ls.config_changed()

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll]))
    async def code_action(ls: MedlintLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        doc = ls.docs.get(params.text_document.uri)
        if doc is None:
            return None
        outcome = await ls.current(doc)
        if outcome is None or outcome.linter is None:
            return []
        # planning a fix parses the draft (and "fix all" lints it again): on the worker
        # thread, so the event loop keeps reading the changes of a writer who is typing
        try:
            return await asyncio.get_running_loop().run_in_executor(
                ls.executor, _code_actions, ls, doc, outcome, params)
        except RuntimeError:  # shutting down
            return None

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: MedlintLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        doc = ls.docs.get(params.text_document.uri)
        if doc is None:
            return None
        outcome = await ls.current(doc)
        if outcome is None or outcome.linter is None:
            return None
        positions = outcome.positions
        at = positions.offset(params.position.line, params.position.character)
        hits = [f for f in outcome.findings if f.start <= at < f.end or f.start == f.end == at]
        if not hits:
            return None
        from ..cli import explain_text

        rules = outcome.linter.ruleset.by_id()
        texts = []
        for rule_id in dict.fromkeys(f.rule for f in hits):
            rule = rules.get(rule_id)
            if rule is not None:
                texts.append(explain_text(rule))
        if not texts:
            return None
        formats = (ls.client_capabilities.text_document and ls.client_capabilities.text_document.hover
                   and ls.client_capabilities.text_document.hover.content_format) or []
        if lsp.MarkupKind.Markdown in formats:
            content = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown,
                                        value="\n\n---\n\n".join(explain_markdown(t) for t in texts))
        else:
            content = lsp.MarkupContent(kind=lsp.MarkupKind.PlainText, value="\n\n".join(texts))
        return lsp.Hover(contents=content, range=ls.range(positions, hits[0].start, hits[0].end))

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: MedlintLanguageServer, params: None) -> None:
        for doc in ls.docs.values():
            doc.closed = True
            if doc.task is not None and not doc.task.done():
                doc.task.cancel()
        ls.executor.shutdown(wait=False, cancel_futures=True)

    return server


def _warm(linters: LinterCache) -> None:
    try:
        linters.linter_for(None)
    except Exception:  # reported properly when a draft is linted
        pass


def _code_actions(ls: MedlintLanguageServer, doc: OpenDoc, outcome: Outcome,
                  params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    """Quick fixes for the findings in the requested range, and "fix all" (worker thread)."""
    assert outcome.linter is not None
    only = params.context.only
    want_quickfix = not only or any(lsp.CodeActionKind.QuickFix.value.startswith(k) for k in only)
    want_fix_all = not only or any(lsp.CodeActionKind.SourceFixAll.value.startswith(k)
                                   or k.startswith(lsp.CodeActionKind.SourceFixAll.value) for k in only)
    positions = outcome.positions
    first = positions.offset(params.range.start.line, params.range.start.character)
    last = positions.offset(params.range.end.line, params.range.end.character)
    out: list[lsp.CodeAction] = []
    if want_quickfix:
        for f in outcome.findings:
            if not (f.start <= last and f.end >= first):
                continue
            diag = ls.diagnostic(positions, f)
            for action in actions_for(outcome.linter, outcome.text, doc.format, f, ls.options.suppress_reason):
                out.append(lsp.CodeAction(
                    title=action.title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[diag],
                    is_preferred=action.preferred or None,
                    edit=_workspace_edit(ls, doc, outcome, positions,
                                         [(e.start, e.end, e.new_text) for e in action.edits])))
    if want_fix_all:
        fixed = _fix_all(outcome, doc)
        if fixed is not None:
            out.append(lsp.CodeAction(
                title="Apply every medlint replacement", kind=f"{lsp.CodeActionKind.SourceFixAll.value}.medlint",
                edit=_workspace_edit(ls, doc, outcome, positions, [(0, len(outcome.text), fixed)])))
    return out


def _fix_all(outcome: Outcome, doc: OpenDoc) -> str | None:
    """The draft with every ``--fix`` replacement applied, or None when there is none.
    Computed once per lint: editors ask for code actions at every cursor move."""
    from ..fix import fix_text, is_fixable

    if outcome.fixed is not _UNSET:
        return outcome.fixed  # type: ignore[return-value]
    assert outcome.linter is not None
    rules = {r.id: r for r in outcome.linter.ruleset.rules}
    fixed: str | None = None
    if any(is_fixable(f, rules) for f in outcome.findings):
        text = fix_text(outcome.linter, outcome.text, doc.format, str(doc.path) if doc.path else None).text
        fixed = text if text != outcome.text else None
    outcome.fixed = fixed
    return fixed


def _workspace_edit(ls: MedlintLanguageServer, doc: OpenDoc, outcome: Outcome, positions: LspText,
                    edits: list[tuple[int, int, str]]) -> lsp.WorkspaceEdit:
    """Edits to the buffer as linted; versioned when the client allows, so a stale quick fix
    is refused by the editor instead of applied to moved text."""
    text_edits = [lsp.TextEdit(range=ls.range(positions, s, e), new_text=t) for s, e, t in edits]
    caps = ls.client_capabilities.workspace
    versioned = bool(caps and caps.workspace_edit and caps.workspace_edit.document_changes)
    if versioned:
        return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
            text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=outcome.version),
            edits=text_edits)])
    return lsp.WorkspaceEdit(changes={doc.uri: text_edits})


def main() -> None:
    """Serve LSP over stdin/stdout until the client says exit."""
    logging.basicConfig(level=os.environ.get("MEDLINT_LSP_LOG", "WARNING").upper(),
                        format="medlint-lsp %(levelname)s %(message)s")
    build_server().start_io()
