"""A real `medlint serve` process on a free loopback port, asked the way LanguageTool clients ask.

One server (two worker processes, a small body cap) is started for the module and stopped at
its end; every request goes to 127.0.0.1 only.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Iterator

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed: pip install '.[server]'")

DRAFT = ("Ketamine is a revolutionary treatment and completely safe. His brother committed suicide.\n"
         "Call (555) 010-3344 to book your free consultation.\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
    env = dict(os.environ)
    env.pop("MEDLINT_SERVER_TOKEN", None)
    cmd = [sys.executable, "-c", "from medlint.entry import main; main()", "serve", "--no-config",
           "--port", str(port), "--workers", "2", "--max-body", "50KB", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"medlint serve did not start (exit {proc.poll()}):\n{out}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def post_form(url: str, fields: dict[str, str]) -> tuple[int, Any]:
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_languagetool_form_request_parses_like_a_languagetool_client(server: str):
    status, body = post_form(f"{server}/v2/check", {"text": DRAFT, "language": "en-US",
                                                    "disabledRules": "MORFOLOGIK_RULE_EN_US"})
    assert status == 200
    assert body["software"]["name"] == "medlint"
    # what a LanguageTool client reads from each match (language_tool_python's Match, LTeX)
    seen = {}
    for m in body["matches"]:
        category, rule_id, issue = m["rule"]["category"]["id"], m["rule"]["id"], m["rule"]["issueType"]
        ctx = m["context"]
        in_context = ctx["text"][ctx["offset"]:ctx["offset"] + ctx["length"]]
        in_text = DRAFT[m["offset"]:m["offset"] + m["length"]]  # ASCII draft: units == code points
        assert in_context == in_text
        assert issue and m["message"]
        seen[rule_id] = (category, in_text, [r["value"] for r in m["replacements"]])
    assert seen["claim.absolute-safety"][:2] == ("claim", "completely safe")
    assert seen["safety.suicide-language"] == ("safety", "committed suicide", ["died by suicide"])
    assert seen["promotion.contact-details"][1] == "(555) 010-3344"


def test_language_tool_python_client(server: str):
    """language_tool_python (3.x) turns LanguageTool's UTF-16 offsets back into Python string
    offsets: with emoji before the findings, a slice of the draft is the flagged words only
    if medlint counted UTF-16 units as LanguageTool does."""
    ltp = pytest.importorskip("language_tool_python", reason="language_tool_python is not installed")
    draft = "😀 漢字 🧪 " + DRAFT
    tool = ltp.LanguageTool("en-US", remote_server=server)
    try:
        matches = tool.check(draft)
    finally:
        tool.close()
    by_rule = {m.rule_id: m for m in matches}
    safe = by_rule["claim.absolute-safety"]
    assert draft[safe.offset:safe.offset + safe.error_length] == "completely safe"
    assert safe.category == "claim" and safe.rule_issue_type
    assert by_rule["safety.suicide-language"].replacements == ["died by suicide"]
    fixed = ltp.utils.correct(draft, [by_rule["safety.suicide-language"]])
    assert "His brother died by suicide." in fixed


def test_live_server_limits_and_v1(server: str):
    status, text = post_form(f"{server}/v2/check", {"text": "x" * 60_000, "language": "en"})
    assert status == 413 and "limit" in text
    req = urllib.request.Request(f"{server}/v1/check", data=json.dumps({"text": DRAFT}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        body = json.loads(r.read())
    assert body["publish"] is False and body["summary"]["total"] == len(body["findings"]) > 3
