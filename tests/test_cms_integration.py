"""examples/cms_integration.py: the pre-publish hook a CMS calls, exercised end to end."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from medlint.linter import Linter

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "cms_integration.py"
PAGE = REPO / "examples" / "weight-loss-clinic-page.html"

CLEAN_BODY = (
    "<p>Esketamine (Spravato) is a nasal spray approved by the FDA for treatment-resistant\r\n"
    "depression in adults, used together with an oral antidepressant.</p>\r\n"
    "<h2>Risks</h2>\r\n"
    "<p>Side effects can include dissociation, dizziness, nausea and a rise in blood pressure.\r\n"
    "It is given in a certified clinic, where staff monitor you for at least two hours.</p>\r\n"
    "<p><em>This article is for general information only. It is not a substitute for\r\n"
    "professional medical advice, diagnosis or treatment.</em></p>\r\n"
)


@pytest.fixture(scope="module")
def cms() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cms_integration", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hook(cms: ModuleType, linter: Linter) -> Any:
    check = cms.PrePublishCheck.__new__(cms.PrePublishCheck)
    check.linter = linter  # reuse the session's compiled rules (building them is the slow part)
    check._kinds = {rule.id: rule.kind for rule in linter.ruleset.rules}
    return check


def field_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def check_positions(verdict: dict[str, Any], title: str, body: str) -> None:
    for f in verdict["findings"]:
        text = title if f["field"] == "title" else body
        assert text[f["start"]:f["end"]] == f["match"], f
        assert (f["line"], f["column"]) == field_position(text, f["start"]), f
        assert (f["end_line"], f["end_column"]) == field_position(text, f["end"]), f


def test_clean_article_publishes(hook: Any) -> None:
    verdict = hook("Esketamine for depression: what to know", CLEAN_BODY)
    assert verdict["publish"] is True
    assert verdict["summary"]["error"] == 0
    json.dumps(verdict)


def test_problem_article_is_blocked_with_exact_highlights(hook: Any) -> None:
    title = "Miracle weight loss & <more> \U0001F680"
    body = PAGE.read_text(encoding="utf-8")
    verdict = hook(title, body)
    assert verdict["publish"] is False
    summary = verdict["summary"]
    assert summary["error"] >= 2 and summary["total"] == len(verdict["findings"])
    assert summary["total"] == sum(summary[s] for s in ("error", "warning", "info"))
    assert sum(summary["by_category"].values()) == summary["total"]
    check_positions(verdict, title, body)
    by_field = {(f["field"], f["rule"]): f for f in verdict["findings"]}
    assert by_field[("title", "promotion.hype")]["match"] == "Miracle"
    assert by_field[("body", "claim.absolute-safety")]["match"] == "no side effects"
    disclaimer = [f for f in verdict["findings"] if f["rule"] == "disclaimer.missing"]
    assert len(disclaimer) == 1 and disclaimer[0]["scope"] == "document"
    assert all(f["scope"] == "text" for f in verdict["findings"] if f["category"] == "promotion")
    assert json.loads(json.dumps(verdict)) == verdict


def test_title_only_problems_and_odd_titles(hook: Any) -> None:
    for title in ["A guaranteed cure", "Line one\r\nline two: a miracle", "R&amp;D & a miracle", ""]:
        verdict = hook(title, CLEAN_BODY)
        check_positions(verdict, title, CLEAN_BODY)
        if title:
            assert any(f["field"] == "title" for f in verdict["findings"]), title
    assert hook("A guaranteed cure", CLEAN_BODY)["publish"] is False


def test_bad_body_never_raises(hook: Any) -> None:
    for body in ["", "<", "<p>" * 50, "&#0;&bogus;&", "\ud800<p>miracle</p>", "<script>"]:
        verdict = hook("Title", body)
        check_positions(verdict, "Title", body)


def test_command_line(cms: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "article.json"
    article.write_text(json.dumps({"title": "Ketamine", "body": "<p>A miracle cure.</p>"}),
                       encoding="utf-8")
    assert cms.main([str(article)]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["publish"] is False and verdict["findings"]
    bad = tmp_path / ".medlint.yaml"
    bad.write_text("selec: [claim]\n", encoding="utf-8")
    assert cms.main([str(article), "--config", str(bad)]) == 2
    assert "unknown key 'selec'" in capsys.readouterr().err
