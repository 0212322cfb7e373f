"""The pre-commit hook, run by the real ``pre-commit`` binary against a snapshot of this
checkout.

Why a snapshot: pre-commit clones the hook repository at a commit and installs it with
``pip install .`` (not editable) into its own environment. Pointing it at the checkout's
HEAD would test the last commit, not the working tree under test, so the test copies the
files git knows about (tracked, plus new files that are not ignored) into a fresh git repo,
commits them and points pre-commit at that commit. A passing run proves the hook
definition works, the package builds, and the rule packs ship inside the wheel.

This is the one test that uses the network (pip fetches the runtime dependencies).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

#: What the package build needs when the checkout is not a git repository.
_FALLBACK = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "medlint", "rules")

BAD = """# Notes on ketamine

Ketamine is an anaesthetic.

Ketamine is FDA-approved for depression.
"""
GOOD = BAD.replace("is FDA-approved", "is not FDA-approved")


def _git(cwd: Path, *args: str) -> str:
    cmd = ["git", "-c", "user.name=medlint test", "-c", "user.email=test@example.invalid",
           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args]
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _source_files() -> list[Path]:
    """Files of the checkout as git sees them (including uncommitted edits and new files)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=REPO, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        files: list[Path] = []
        for name in _FALLBACK:
            p = REPO / name
            files += [f.relative_to(REPO) for f in ([p] if p.is_file() else p.rglob("*"))
                      if f.is_file() and "__pycache__" not in f.parts]
        return files
    return [Path(n) for n in out.decode().split("\0") if n and (REPO / n).is_file()]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    snap = tmp_path_factory.mktemp("hook-repo")
    for rel in _source_files():
        if rel.parts[0] in ("tests", "benchmarks", "docs", "examples"):
            continue  # not needed to build; keeps the copy small
        (snap / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, snap / rel)
    assert (snap / ".pre-commit-hooks.yaml").is_file()
    _git(snap, "init", "-q")
    _git(snap, "add", "-A")
    _git(snap, "commit", "-q", "-m", "snapshot for the pre-commit test")
    return snap, _git(snap, "rev-parse", "HEAD")


def _pre_commit(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_real_pre_commit_blocks_then_passes(hook_repo: tuple[Path, str], tmp_path: Path) -> None:
    repo_path, sha = hook_repo
    writer = tmp_path / "writer"
    writer.mkdir()
    _git(writer, "init", "-q")
    (writer / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo_path.as_posix()}\n    rev: {sha}\n    hooks:\n      - id: medlint\n",
        encoding="utf-8")
    # the writer's own settings, discovered by the installed hook from the draft's folder
    (writer / ".medlint.yaml").write_text("select: [claim]\n", encoding="utf-8")
    (writer / "draft.md").write_text(BAD, encoding="utf-8")
    _git(writer, "add", "-A")

    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PRE_COMMIT_COLOR="never",
               GIT_CONFIG_NOSYSTEM="1")
    env.pop("VIRTUAL_ENV", None)
    failed = _pre_commit(writer, env)
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "draft.md:5:13: error [claim.ketamine-fda-approval]" in output, output

    (writer / "draft.md").write_text(GOOD, encoding="utf-8")
    _git(writer, "add", "-A")
    passed = _pre_commit(writer, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
