"""examples/github-actions.yml: valid YAML whose medlint commands use real options."""
from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from medlint.cli import check

WORKFLOW = Path(__file__).resolve().parent.parent / "examples" / "github-actions.yml"


def medlint_commands(steps: list[dict]) -> list[list[str]]:
    commands = []
    for step in steps:
        script = step.get("run", "").replace("\\\n", " ")
        for line in script.splitlines():
            line = line.strip()
            if line.startswith("medlint check"):
                words = shlex.split(line, comments=True)
                commands.append(words[2:words.index("--")])
    return commands


def test_workflow_runs_medlint_twice_and_uploads_the_sarif_it_wrote():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = data["jobs"]["medlint"]["steps"]
    commands = medlint_commands(steps)
    assert len(commands) == 2
    for args in commands:
        ctx = check.make_context("check", [*args, "draft.md"])  # raises on an unknown option
        assert ctx.params["paths"] == ("draft.md",)
    sarif = next(args for args in commands if "sarif" in args)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == sarif[sarif.index("--output") + 1]
    assert any("github" in args for args in commands)
    assert data["permissions"]["security-events"] == "write"
