"""``medlint lsp`` end to end: a real server process over stdio, driven by pytest-lsp.

Each test starts ``python -m medlint lsp`` with a workspace folder of its own, so
configuration files never leak between tests. Waiting is for a notification with a given
version (never a sleep), so the tests are as fast as the server and do not flake on a
loaded machine.
"""
from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import time
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

pytest.importorskip("pygls.lsp.server", reason="medlint lsp needs pygls 2 (pip install '.[lsp]')")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="the LSP tests need pytest-lsp (pip install '.[test]')")

from lsprotocol import types as lsp  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, LanguageClient, register_lsp_features  # noqa: E402

import medlint  # noqa: E402
from medlint.cli import explain_text  # noqa: E402
from medlint.lsp.positions import LspText  # noqa: E402

pytestmark = pytest.mark.asyncio

TIMEOUT = 30.0  # seconds; generous for a loaded 2-core machine, reached only on failure

SUICIDE = "committed suicide"
DRAFT = """# Ketamine for depression

Our revolutionary clinic offers ketamine. It is completely safe and the results are permanent.
Many people who committed suicide had untreated depression.
"""


def _record(client: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)  # type: ignore[attr-defined]


def _register(client: LanguageClient, params: lsp.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)  # type: ignore[attr-defined]


def _make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record,
                                   lsp.CLIENT_REGISTER_CAPABILITY: _register})
    return client


@contextlib.asynccontextmanager
async def session(root: Path, options: Any = None, encodings: list[str] | None = None,
                  markdown_hover: bool = True, versioned_edits: bool = True,
                  watch_files: bool = False) -> AsyncIterator[LanguageClient]:
    client = _make_client()
    await client.start_io(sys.executable, "-m", "medlint", "lsp", "--stdio")
    caps = lsp.ClientCapabilities(
        general=lsp.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        text_document=lsp.TextDocumentClientCapabilities(
            hover=lsp.HoverClientCapabilities(
                content_format=[lsp.MarkupKind.Markdown, lsp.MarkupKind.PlainText] if markdown_hover
                else [lsp.MarkupKind.PlainText]),
            publish_diagnostics=lsp.PublishDiagnosticsClientCapabilities(version_support=True),
        ),
        workspace=lsp.WorkspaceClientCapabilities(
            workspace_edit=lsp.WorkspaceEditClientCapabilities(document_changes=versioned_edits),
            did_change_watched_files=lsp.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=watch_files)),
    )
    try:
        result = await asyncio.wait_for(client.initialize_session(lsp.InitializeParams(
            capabilities=caps, root_uri=root.as_uri(), initialization_options=options,
            workspace_folders=[lsp.WorkspaceFolder(uri=root.as_uri(), name="drafts")])), TIMEOUT)
        client.init_result = result  # type: ignore[attr-defined]
        yield client
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
        await client.stop()


async def published(client: LanguageClient, uri: str, version: int | None = None,
                    after: int = 0) -> lsp.PublishDiagnosticsParams:
    """The first diagnostics for ``uri`` (and ``version``) published after the ``after``-th."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        for params in client.published[after:]:  # type: ignore[attr-defined]
            if params.uri == uri and (version is None or params.version == version):
                return params
        if time.monotonic() > deadline:
            raise AssertionError(f"no diagnostics for {uri} version {version}; got "
                                 f"{[(p.uri, p.version) for p in client.published]}")  # type: ignore[attr-defined]
        await asyncio.sleep(0.01)


def open_doc(client: LanguageClient, path: Path, text: str, language: str = "markdown",
             version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))
    return uri


def sliced(text: str, rng: lsp.Range, encoding: str = "utf-16") -> str:
    """The text a range covers, computed the way an editor would: by lines and code units
    (independently of the server's conversion code)."""
    lines = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]  # LSP's line breaks only

    def at(p: lsp.Position) -> int:
        start = lines[p.line]
        width = {"utf-16": 2, "utf-8": 1, "utf-32": 4}[encoding]
        codec = {"utf-16": "utf-16-le", "utf-8": "utf-8", "utf-32": "utf-32-le"}[encoding]
        data = text[start:].encode(codec)[: p.character * width]
        return start + len(data.decode(codec))

    return text[at(rng.start):at(rng.end)]


def apply_edit(text: str, edit: lsp.WorkspaceEdit, uri: str) -> str:
    """Apply a workspace edit to ``text`` as an editor does (all ranges refer to the old text)."""
    if edit.document_changes:
        edits = [e for change in edit.document_changes if change.text_document.uri == uri for e in change.edits]
    else:
        edits = list((edit.changes or {}).get(uri, []))
    doc = LspText(text)
    spans = sorted(((doc.offset(e.range.start.line, e.range.start.character),
                     doc.offset(e.range.end.line, e.range.end.character), e.new_text) for e in edits),
                   reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def by_rule(params: lsp.PublishDiagnosticsParams) -> dict[str, list[lsp.Diagnostic]]:
    out: dict[str, list[lsp.Diagnostic]] = {}
    for d in params.diagnostics:
        out.setdefault(str(d.code), []).append(d)
    return out


async def test_open_change_close(tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    async with session(tmp_path) as client:
        uri = open_doc(client, path, DRAFT)
        first = await published(client, uri, 1)
        expected = medlint.Linter().lint(DRAFT, "markdown")
        assert [(d.code, d.message) for d in first.diagnostics] == [(f.rule, f.message) for f in expected]
        hype = by_rule(first)["promotion.hype"][0]
        assert sliced(DRAFT, hype.range) == "revolutionary"
        assert hype.severity == lsp.DiagnosticSeverity.Warning
        assert hype.source == "medlint"
        assert hype.code_description is not None
        assert hype.code_description.href.endswith("rules.md#promotionhype")
        assert by_rule(first)["claim.absolute-safety"][0].severity == lsp.DiagnosticSeverity.Error

        # an incremental change: "revolutionary" -> "new"
        count = len(client.published)
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangePartial(range=hype.range, text="new")]))
        second = await published(client, uri, 2, after=count)
        assert "promotion.hype" not in by_rule(second)
        changed = DRAFT.replace("revolutionary", "new")
        assert [d.code for d in second.diagnostics] == [f.rule for f in medlint.Linter().lint(changed)]

        # a full-text change
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text="# Opening hours\n\nWe open at nine.\n")]))
        third = await published(client, uri, 3)
        assert list(third.diagnostics) == []

        count = len(client.published)
        client.text_document_did_close(lsp.DidCloseTextDocumentParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri)))
        closed = await published(client, uri, after=count)
        assert list(closed.diagnostics) == [] and closed.version is None


async def test_buffer_follows_lsp_line_breaks(tmp_path: Path) -> None:
    """U+2028 and form feed are not line breaks in LSP (Python's splitlines says they are):
    an edit on the line after them must land on that line."""
    text = "Intro\u2028still the first line \x0c too.\n\nOur revolutionary clinic.\n"
    async with session(tmp_path) as client:
        uri = open_doc(client, tmp_path / "d.md", text)
        hype = by_rule(await published(client, uri, 1))["promotion.hype"][0]
        assert hype.range.start.line == 2 and sliced(text, hype.range) == "revolutionary"
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangePartial(
                range=lsp.Range(start=lsp.Position(line=2, character=0), end=lsp.Position(line=2, character=3)),
                text="The")]))
        after = await published(client, uri, 2)
        edited = text.replace("Our", "The")
        hype = by_rule(after)["promotion.hype"][0]
        assert sliced(edited, hype.range) == "revolutionary"
        hover = await client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=hype.range.start))
        assert hover is not None and hover.range == hype.range


async def test_requests_right_after_a_change_see_the_new_text(tmp_path: Path) -> None:
    """A hover or code action sent before the debounced lint has run waits for it (and is
    answered for the new version, never with the old version's offsets)."""
    async with session(tmp_path, options={"debounce": 400}) as client:
        uri = open_doc(client, tmp_path / "d.md", "# Clinic\n\nWe open at nine.\n")
        assert list((await published(client, uri, 1)).diagnostics) == []
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangePartial(
                range=lsp.Range(start=lsp.Position(line=2, character=0), end=lsp.Position(line=2, character=0)),
                text="Our revolutionary clinic. ")]))
        at = lsp.Position(line=2, character=6)
        hover = await asyncio.wait_for(client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=at)), TIMEOUT)
        assert hover is not None and hover.contents.value.startswith("**promotion.hype")
        assert hover.range == lsp.Range(start=lsp.Position(line=2, character=4), end=lsp.Position(line=2, character=17))
        actions = await code_actions(client, uri, lsp.Diagnostic(range=hover.range, message=""))
        assert [a.edit.document_changes[0].text_document.version for a in actions] == [2]


async def test_files_medlint_does_not_read_are_left_alone(tmp_path: Path) -> None:
    async with session(tmp_path) as client:
        open_doc(client, tmp_path / "setup.py", "print('revolutionary')\n", language="python")
        uri = open_doc(client, tmp_path / "notes.txt", "Our revolutionary clinic.\n", language="plaintext")
        params = await published(client, uri, 1)
        assert [d.code for d in params.diagnostics] == ["promotion.hype"]
        assert all(p.uri == uri for p in client.published)  # type: ignore[attr-defined]


EMOJI_CRLF = ("# Ketamine \U0001F9E0 clinic\r\n\r\n"
              "Our \U0001F680\U0001F680 revolutionary clinic \u2014 \u65b0\u3057\u3044 \u2014 offers ketamine.\r\n"
              "The results are permanent \U0001F44D and it is completely safe.\r\n")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
async def test_ranges_are_exact_with_emoji_cjk_and_crlf(tmp_path: Path, encoding: str) -> None:
    async with session(tmp_path, encodings=[encoding]) as client:
        assert client.init_result.capabilities.position_encoding == encoding  # type: ignore[attr-defined]
        uri = open_doc(client, tmp_path / "emoji.md", EMOJI_CRLF)
        params = await published(client, uri, 1)
        expected = medlint.Linter().lint(EMOJI_CRLF)
        assert len(params.diagnostics) == len(expected) >= 3
        for diag, finding in zip(params.diagnostics, expected):
            assert diag.code == finding.rule
            assert sliced(EMOJI_CRLF, diag.range, encoding) == finding.match
            assert diag.range.start.line == finding.line - 1
        got = {sliced(EMOJI_CRLF, d.range, encoding) for d in params.diagnostics}
        assert {"revolutionary", "permanent", "completely safe"} <= got

        # an edit addressed in the negotiated units lands where the editor means it
        hype = by_rule(params)["promotion.hype"][0]
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangePartial(range=hype.range, text="small \U0001F331")]))
        after = await published(client, uri, 2)
        assert "promotion.hype" not in by_rule(after)
        edited = EMOJI_CRLF.replace("revolutionary", "small \U0001F331")
        safe = by_rule(after)["claim.absolute-safety"][0]
        assert sliced(edited, safe.range, encoding) == "completely safe"


async def code_actions(client: LanguageClient, uri: str, diag: lsp.Diagnostic,
                       only: list[str] | None = None) -> list[lsp.CodeAction]:
    actions = await asyncio.wait_for(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=lsp.CodeActionContext(diagnostics=[diag], only=only))), TIMEOUT)
    return [a for a in actions or [] if isinstance(a, lsp.CodeAction)]


def findings_of(text: str, fmt: str) -> list[tuple[str, str]]:
    return sorted((f.rule, f.match) for f in medlint.Linter().lint(text, fmt))


async def test_replacement_action(tmp_path: Path) -> None:
    async with session(tmp_path) as client:
        uri = open_doc(client, tmp_path / "d.md", DRAFT)
        params = await published(client, uri, 1)
        diag = by_rule(params)["safety.suicide-language"][0]
        assert sliced(DRAFT, diag.range) == SUICIDE
        actions = await code_actions(client, uri, diag)
        replace = [a for a in actions if a.title.startswith("Replace")]
        assert len(replace) == 1 and replace[0].is_preferred
        assert replace[0].kind == lsp.CodeActionKind.QuickFix
        assert replace[0].diagnostics and replace[0].diagnostics[0].code == "safety.suicide-language"
        new = apply_edit(DRAFT, replace[0].edit, uri)
        assert new == DRAFT.replace(SUICIDE, "died by suicide")
        assert replace[0].edit.document_changes[0].text_document.version == 1

        # rules that only advise get no replacement, only a suppression
        hype = by_rule(params)["promotion.hype"][0]
        titles = [a.title for a in await code_actions(client, uri, hype) if a.kind == lsp.CodeActionKind.QuickFix]
        assert titles == ["Disable promotion.hype for this line"]

        # "fix all" is the --fix result; asked for by kind
        fix_all = await code_actions(client, uri, diag, only=[lsp.CodeActionKind.SourceFixAll])
        assert [a.kind for a in fix_all] == ["source.fixAll.medlint"]
        assert apply_edit(DRAFT, fix_all[0].edit, uri) == DRAFT.replace(SUICIDE, "died by suicide")


DISCLAIMER_MD = """# Migraine

Migraine is a common condition. Treatment usually combines medication for attacks
with lifestyle changes, and a doctor can advise on preventive drugs.
"""

DISCLAIMER_HTML = """<!DOCTYPE html>
<html>
  <body>
    <h1>Migraine</h1>
    <p>Migraine is a common condition. Treatment usually combines medication for attacks
    with lifestyle changes, and a doctor can advise on preventive drugs.</p>
  </body>
</html>
"""


DISCLAIMER_CASES = [
    ("m.md", DISCLAIMER_MD, "markdown"),
    ("nofinal.md", DISCLAIMER_MD.rstrip("\n"), "markdown"),  # no final line break
    ("crlf.md", DISCLAIMER_MD.replace("\n", "\r\n"), "markdown"),
    ("m.html", DISCLAIMER_HTML, "html"),
    ("m.txt", DISCLAIMER_MD.replace("# ", ""), "plaintext"),
]


async def test_disclaimer_action(tmp_path: Path) -> None:
    rule = medlint.Linter().ruleset.by_id()["disclaimer.missing"]
    disclaimer = " ".join(rule.suggestion.split())
    async with session(tmp_path, versioned_edits=False) as client:
        for name, text, language in DISCLAIMER_CASES:
            fmt = {"markdown": "markdown", "html": "html", "plaintext": "text"}[language]
            uri = open_doc(client, tmp_path / name, text, language)
            params = await published(client, uri, 1)
            diag = by_rule(params)["disclaimer.missing"][0]
            actions = await code_actions(client, uri, diag)
            add = [a for a in actions if a.title == "Add the standard disclaimer at the end"]
            assert len(add) == 1 and add[0].is_preferred, name
            assert add[0].edit.changes is not None  # the client did not offer versioned edits
            new = apply_edit(text, add[0].edit, uri)
            if fmt == "html":
                assert new == text.replace("  </body>", f"  <p>{disclaimer}</p>\n  </body>")
            else:
                eol = "\r\n" if "\r\n" in text else "\n"
                assert new == text.rstrip("\r\n") + eol + eol + disclaimer + (eol if text.endswith(eol) else ""), name
            assert findings_of(new, fmt) == [f for f in findings_of(text, fmt) if f[0] != "disclaimer.missing"], name


SUPPRESS_CASES = {
    # a rule on a paragraph's second line: the comment joins the line above, in the paragraph
    "markdown": ("m.md", DRAFT),
    "markdown-crlf": ("crlf.md", DRAFT.replace("\n", "\r\n")),
    "markdown-front-matter": ("front.md", "---\ntitle: Ketamine\n---\n" + DRAFT),
    "markdown-hard-break": ("hard.md", DRAFT.replace("ketamine. It", "ketamine.  \nIt").replace(
        "permanent.\n", "permanent.\\\n")),
    "html": ("m.html", "<html><body>\n  <p>Our revolutionary clinic offers ketamine.\n"
                       "  It is completely safe and the results are permanent.</p>\n</body></html>\n"),
    "text": ("m.txt", "Ketamine\n\nOur revolutionary clinic offers ketamine.\n"
                      "It is completely safe and the results are permanent.\n"),
}


async def test_suppress_action_suppresses_exactly_that_finding(tmp_path: Path) -> None:
    async with session(tmp_path, options={"suppressReason": "reviewed by the editor"}) as client:
        for case, (name, text) in sorted(SUPPRESS_CASES.items()):
            fmt = {"md": "markdown", "html": "html", "txt": "text"}[name.rsplit(".", 1)[1]]
            before = findings_of(text, fmt)
            language = {"markdown": "markdown", "html": "html", "text": "plaintext"}[fmt]
            uri = open_doc(client, tmp_path / name, text, language)
            params = await published(client, uri, 1)
            assert len(params.diagnostics) >= 3, case
            for diag in params.diagnostics:
                actions = await code_actions(client, uri, diag)
                disable = [a for a in actions if a.title.startswith("Disable ") and a.diagnostics[0].code == diag.code]
                assert len(disable) == 1, (case, [a.title for a in actions])
                new = apply_edit(text, disable[0].edit, uri)
                marker = "#" if fmt == "text" else "<!--"
                assert f"{marker} medlint-disable-" in new and f"{diag.code} -- reviewed by the editor" in new
                after = findings_of(new, fmt)
                gone = [f for f in before if f not in after]
                assert len(gone) == 1 and gone[0][0] == diag.code, (case, diag.code, new)
                assert [f for f in after if f not in before] == [], (case, new)
                if "\r\n" in text:
                    assert "\n" not in new.replace("\r\n", ""), case
                if case == "markdown-hard-break":  # the hard breaks are still the lines' last characters
                    assert "ketamine.  \n" in new or "-->  \n" in new, new
                    assert "permanent.\\\n" in new or "-->\\\n" in new, new


async def test_hover_shows_explain(tmp_path: Path) -> None:
    rules = medlint.Linter().ruleset.by_id()
    async with session(tmp_path, markdown_hover=False) as client:
        uri = open_doc(client, tmp_path / "d.md", DRAFT)
        params = await published(client, uri, 1)
        diag = by_rule(params)["claim.absolute-outcome"][0]
        inside = lsp.Position(line=diag.range.start.line, character=diag.range.start.character + 2)
        hover = await asyncio.wait_for(client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=inside)), TIMEOUT)
        assert hover is not None and hover.range == diag.range
        assert hover.contents.kind == lsp.MarkupKind.PlainText
        assert hover.contents.value == explain_text(rules["claim.absolute-outcome"])
        outside = lsp.Position(line=0, character=0)
        assert await client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=outside)) is None

    async with session(tmp_path) as client:  # a client that renders Markdown
        uri = open_doc(client, tmp_path / "d.md", DRAFT)
        diag = by_rule(await published(client, uri, 1))["promotion.hype"][0]
        hover = await client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=diag.range.start))
        rule = rules["promotion.hype"]
        assert hover.contents.kind == lsp.MarkupKind.Markdown
        assert hover.contents.value.startswith("**promotion.hype")
        for part in (rule.why, rule.source):
            assert " ".join(part.split())[:40].replace("_", "\\_") in hover.contents.value


async def test_config_change_is_picked_up(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    config = tmp_path / ".medlint.yaml"
    async with session(tmp_path) as client:
        uri = open_doc(client, drafts / "d.md", DRAFT)
        assert "promotion.hype" in by_rule(await published(client, uri, 1))

        config.write_text("ignore: [promotion]\n", encoding="utf-8")
        count = len(client.published)
        client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
            lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Created)]))
        after = await published(client, uri, 1, after=count)
        assert not any(str(d.code).startswith("promotion.") for d in after.diagnostics)
        assert "claim.absolute-outcome" in by_rule(after)

        # a save of the config in the editor reloads it too (clients without file watchers)
        config.write_text("ignore: [claim]\n", encoding="utf-8")
        count = len(client.published)
        client.text_document_did_save(lsp.DidSaveTextDocumentParams(
            text_document=lsp.TextDocumentIdentifier(uri=config.as_uri())))
        after = await published(client, uri, 1, after=count)
        assert "promotion.hype" in by_rule(after) and "claim.absolute-outcome" not in by_rule(after)


async def test_excluded_drafts_are_not_checked(tmp_path: Path) -> None:
    (tmp_path / ".medlint.yaml").write_text("exclude: ['private/**']\n", encoding="utf-8")
    (tmp_path / "private").mkdir()
    async with session(tmp_path) as client:
        hidden = open_doc(client, tmp_path / "private" / "d.md", DRAFT)
        shown = open_doc(client, tmp_path / "d.md", DRAFT)
        assert list((await published(client, hidden, 1)).diagnostics) == []
        assert (await published(client, shown, 1)).diagnostics


async def test_config_files_are_watched_when_the_client_can(tmp_path: Path) -> None:
    async with session(tmp_path, watch_files=True) as client:
        uri = open_doc(client, tmp_path / "d.md", DRAFT)
        await published(client, uri, 1)  # initialized (and its registration) came first
        [registration] = client.registrations  # type: ignore[attr-defined]
        assert registration.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES
        globs = {w["globPattern"] for w in registration.register_options["watchers"]}
        assert globs == {"**/.medlint.yaml", "**/.medlint.yml", "**/pyproject.toml"}
    async with session(tmp_path) as client:  # a client that cannot: nothing is asked
        uri = open_doc(client, tmp_path / "d.md", DRAFT)
        await published(client, uri, 1)
        assert client.registrations == []  # type: ignore[attr-defined]


async def test_broken_pyproject_names_the_line(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "drafts"\n\n[tool.medlint]\nselect = claim\n', encoding="utf-8")
    async with session(tmp_path) as client:
        uri = open_doc(client, tmp_path / "d.md", DRAFT)
        assert list((await published(client, uri, 1)).diagnostics) == []
        on_config = await published(client, pyproject.as_uri())
        [problem] = on_config.diagnostics
        assert str(pyproject) in problem.message and "cannot read" in problem.message
        assert problem.range.start.line == 4  # where tomllib says it stopped
        assert [m.type for m in client.messages] == [lsp.MessageType.Error]


async def test_pyproject_config_is_discovered(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.medlint]\nselect = ["promotion"]\n',
                                             encoding="utf-8")
    async with session(tmp_path) as client:
        uri = open_doc(client, tmp_path / "d.md", DRAFT)
        params = await published(client, uri, 1)
        assert params.diagnostics and all(str(d.code).startswith("promotion.") for d in params.diagnostics)


async def test_broken_config_is_one_diagnostic_and_a_message(tmp_path: Path) -> None:
    config = tmp_path / ".medlint.yaml"
    config.write_text("select: [claim]\nignroe: [promotion]\n", encoding="utf-8")
    async with session(tmp_path) as client:
        uri = open_doc(client, tmp_path / "d.md", DRAFT)
        other = open_doc(client, tmp_path / "e.md", DRAFT)
        assert list((await published(client, uri, 1)).diagnostics) == []  # not checked until fixed
        assert list((await published(client, other, 1)).diagnostics) == []
        on_config = await published(client, config.as_uri())
        assert len(on_config.diagnostics) == 1
        problem = on_config.diagnostics[0]
        assert problem.severity == lsp.DiagnosticSeverity.Error
        assert "unknown key 'ignroe'" in problem.message and "did you mean 'ignore'" in problem.message
        errors = [m for m in client.messages if m.type == lsp.MessageType.Error]
        assert len(errors) == 1 and "ignroe" in errors[0].message
        assert sum(p.uri == config.as_uri() for p in client.published) == 1  # type: ignore[attr-defined]

        # malformed YAML: the diagnostic sits on the line the parser names
        config.write_text("select: [claim\nignore: x\n", encoding="utf-8")
        count = len(client.published)
        client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
            lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Changed)]))
        on_config = await published(client, config.as_uri(), after=count)
        assert "malformed YAML" in on_config.diagnostics[0].message
        assert on_config.diagnostics[0].range.start.line >= 1

        # fixed: the config's diagnostic is cleared and the drafts are checked again
        config.write_text("select: [claim]\n", encoding="utf-8")
        count = len(client.published)
        client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
            lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Changed)]))
        fixed = await published(client, uri, 1, after=count)
        assert fixed.diagnostics and all(str(d.code).startswith("claim.") for d in fixed.diagnostics)
        cleared = await published(client, config.as_uri(), after=count)
        assert list(cleared.diagnostics) == []
        # the server is alive and well
        hover = await client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=fixed.diagnostics[0].range.start))
        assert hover is not None


async def test_bad_initialization_options_are_reported_not_fatal(tmp_path: Path) -> None:
    async with session(tmp_path, options={"debounce": "soon", "colour": 1}) as client:
        uri = open_doc(client, tmp_path / "d.md", DRAFT)
        assert (await published(client, uri, 1)).diagnostics
        warnings = [m.message for m in client.messages if m.type == lsp.MessageType.Warning]
        assert any("debounce" in m for m in warnings) and any("'colour'" in m for m in warnings)


async def test_unused_suppressions_on_request(tmp_path: Path) -> None:
    text = "<!-- medlint-disable-next-line promotion.hype -- quoted -->\nOur clinic.\n"
    async with session(tmp_path, options={"reportUnusedSuppressions": True}) as client:
        uri = open_doc(client, tmp_path / "d.md", text)
        params = await published(client, uri, 1)
        assert [(d.code, list(d.tags or ())) for d in params.diagnostics] == [
            ("medlint.unused-suppression", [lsp.DiagnosticTag.Unnecessary])]
        assert sliced(text, params.diagnostics[0].range).startswith("medlint-disable-next-line")
    async with session(tmp_path) as client:  # off by default, as in medlint check
        uri = open_doc(client, tmp_path / "d.md", text)
        assert list((await published(client, uri, 1)).diagnostics) == []


async def test_docs_url_is_configurable(tmp_path: Path) -> None:
    async with session(tmp_path, options={"rulesDocsUrl": "https://example.org/rules"}) as client:
        uri = open_doc(client, tmp_path / "d.md", DRAFT)
        params = await published(client, uri, 1)
        hrefs = {d.code_description.href for d in params.diagnostics}
        assert "https://example.org/rules#promotionhype" in hrefs


async def test_many_rapid_changes_to_a_large_draft(tmp_path: Path) -> None:
    """200 keystrokes into a 50 KB draft, sent as fast as the pipe takes them: the server
    must not fall behind -- the last version's diagnostics arrive, and they are right."""
    paragraph = DRAFT.split("\n", 2)[2]
    text = "# Big draft\n\n" + "\n".join(paragraph for _ in range(50_000 // len(paragraph) + 1))
    assert len(text) >= 50_000
    async with session(tmp_path) as client:
        uri = open_doc(client, tmp_path / "big.md", text)
        await published(client, uri, 1)
        start = time.perf_counter()
        line = 1
        for i in range(200):
            insert = "x" if i % 10 else "\n"
            client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=i + 2),
                content_changes=[lsp.TextDocumentContentChangePartial(
                    range=lsp.Range(start=lsp.Position(line=line, character=0),
                                    end=lsp.Position(line=line, character=0)), text=insert)]))
            offset = LspText(text).offset(line, 0)  # the same edit on our copy
            text = text[:offset] + insert + text[offset:]
        sent = time.perf_counter() - start
        final = await published(client, uri, 201)
        elapsed = time.perf_counter() - start
        versions = [p.version for p in client.published if p.uri == uri]  # type: ignore[attr-defined]
        print(f"\n200 changes to a {len(text)} character draft: sent in {sent:.2f} s, last version's "
              f"diagnostics {elapsed:.2f} s after the first change; versions published: {versions}")
        expected = medlint.Linter().lint(text)
        assert [(d.code, sliced(text, d.range)) for d in final.diagnostics] == [(f.rule, f.match) for f in expected]
        stale = [p.version for p in client.published if p.uri == uri and p.version not in (1, 201)]  # type: ignore[attr-defined]
        assert len(stale) < 20, stale  # debounced: not one lint per keystroke


async def test_an_installed_package_sends_no_link_rather_than_a_dead_one() -> None:
    """Outside a source checkout there is no docs/rules.md to link to and no published copy:
    diagnostics then carry the rule id without a link (``medlint explain`` gives the text)."""
    from medlint.finding import Finding
    from medlint.lsp import server

    finding = medlint.Linter().lint("Book now!", path="d.md")[0]
    assert isinstance(finding, Finding)
    # is_file is patched only around the lookup: the linter itself finds its rules with it
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(server.Path, "is_file", lambda self: True)
        assert server._default_docs_url().startswith("file:")  # a checkout's own reference
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(server.Path, "is_file", lambda self: False)
        assert server._default_docs_url() == ""  # an installed package (as CI installs it)
    ls = server.MedlintLanguageServer()
    ls.options = server.Options(docs_url="")
    diag = ls.diagnostic(LspText("Book now!"), finding)
    assert diag.code == finding.rule and diag.code_description is None
    ls.options = server.Options(docs_url="https://example.org/rules")
    assert ls.diagnostic(LspText("Book now!"), finding).code_description.href.startswith(
        "https://example.org/rules#")
