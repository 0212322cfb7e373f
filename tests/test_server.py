"""`medlint serve` through Starlette's ASGI test client: both check endpoints, fields, offsets,
every error status, the body cap, the token, CORS, and odd text that must never give a 500."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

pytest.importorskip("starlette", reason="the server extra is not installed: pip install '.[server]'")
pytest.importorskip("starlette.testclient", reason="Starlette's TestClient needs httpx2 (in the test extra)")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from medlint.linter import Linter  # noqa: E402
from medlint.ruledocs import explain_text  # noqa: E402
from medlint.server.app import Settings, create_app  # noqa: E402
from medlint.server.service import Service  # noqa: E402

DRAFT = """# Ketamine clinic

Ketamine is a revolutionary treatment and completely safe. His brother committed suicide.
Call (555) 010-3344 to book your free consultation.
"""
#: emoji (two UTF-16 units each) and CJK (one unit each) before and between the findings
WIDE = "😀🧪 完全に安全 🇬🇧 Ketamine cures depression. 漢字 😀 It is completely safe 🙂."
CONTRACT = {"path", "line", "column", "end_line", "end_column", "rule", "category", "severity", "message"}


@pytest.fixture(scope="module")
def service(ruleset: Any) -> Service:
    return Service({}, cache_size=4)


@pytest.fixture(scope="module")
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(no_config=True), service)) as c:
        yield c


def utf16_slice(text: str, start: int, end: int) -> str:
    raw = text.encode("utf-16-le")
    return raw[2 * start:2 * end].decode("utf-16-le")


# -- /v1/check -------------------------------------------------------------------------------

def test_v1_check_answers_findings_verdict_summary_and_versions(client: TestClient, linter: Linter):
    r = client.post("/v1/check", json={"text": DRAFT})
    assert r.status_code == 200
    body = r.json()
    expected = linter.lint(DRAFT, "markdown")
    assert [(f["rule"], f["start"], f["end"]) for f in body["findings"]] == \
        [(f.rule, f.start, f.end) for f in expected]
    for f in body["findings"]:
        assert CONTRACT <= set(f)
        assert f["field"] is None
        assert DRAFT[f["start"]:f["end"]] == f["match"]
        assert utf16_slice(DRAFT, f["utf16_start"], f["utf16_end"]) == f["match"]
    assert body["publish"] is False  # "completely safe" is an error
    summary = body["summary"]
    assert summary["total"] == len(expected)
    assert summary["severity"]["error"] == sum(f.severity.value == "error" for f in expected)
    assert summary["category"]["promotion"] == sum(f.category == "promotion" for f in expected)
    versions = body["versions"]
    assert versions["medlint"] == "0.1.0"
    assert len(versions["rules"]["hash"]) == 16 and versions["rules"]["count"] > 10
    assert len(versions["facts"]["hash"]) == 16 and versions["facts"]["latest"][:2] == "20"


def test_publish_is_true_without_error_findings(client: TestClient):
    r = client.post("/v1/check", json={"text": "Call us to book your appointment.", "format": "text",
                                       "select": ["promotion"]})
    body = r.json()
    assert body["findings"] and all(f["severity"] != "error" for f in body["findings"])
    assert body["publish"] is True


def test_emoji_and_cjk_offsets_slice_the_match_in_both_units(client: TestClient):
    body = client.post("/v1/check", json={"text": WIDE, "format": "text"}).json()
    matches = {f["match"] for f in body["findings"]}
    assert {"cures", "completely safe"} <= matches
    for f in body["findings"]:
        assert WIDE[f["start"]:f["end"]] == f["match"]
        assert utf16_slice(WIDE, f["utf16_start"], f["utf16_end"]) == f["match"]
        if f["start"] > 0:  # (a whole-draft finding may start at offset 0)
            assert f["utf16_start"] > f["start"]  # the emoji before it take two units each
    lt = client.post("/v2/check", data={"text": WIDE, "language": "en-US"}).json()
    for m in lt["matches"]:
        assert utf16_slice(WIDE, m["offset"], m["offset"] + m["length"]) in matches


def test_fields_are_checked_each_in_its_format_and_named(client: TestClient):
    page = {"fields": [
        {"name": "title", "text": "A revolutionary cure", "format": "text"},
        {"name": "meta", "text": "Book your free consultation today.", "format": "text"},
        {"name": "body", "text": "<p>Ketamine is <b>completely safe</b>.</p>", "format": "html"},
    ]}
    body = client.post("/v1/check", json=page).json()
    by_field: dict[str, list[dict[str, Any]]] = {}
    for f in body["findings"]:
        by_field.setdefault(f["field"], []).append(f)
    assert set(by_field) == {"title", "meta", "body"}
    texts = {item["name"]: item["text"] for item in page["fields"]}
    for name, findings in by_field.items():
        for f in findings:
            assert texts[name][f["start"]:f["end"]] == f["match"]
    assert any(f["match"] == "completely safe" for f in by_field["body"])
    # the mapping form gives the same answer
    mapping = {"fields": {i["name"]: {"text": i["text"], "format": i["format"]} for i in page["fields"]}}
    assert client.post("/v1/check", json=mapping).json()["findings"] == body["findings"]


def test_select_ignore_and_min_severity(client: TestClient):
    only = client.post("/v1/check", json={"text": DRAFT, "select": ["promotion"]}).json()["findings"]
    assert only and {f["category"] for f in only} == {"promotion"}
    without = client.post("/v1/check", json={"text": DRAFT, "ignore": "promotion,safety"}).json()["findings"]
    assert without and not {f["category"] for f in without} & {"promotion", "safety"}
    errors = client.post("/v1/check", json={"text": DRAFT, "min_severity": "error"}).json()["findings"]
    assert errors and {f["severity"] for f in errors} == {"error"}


def test_linters_are_cached_per_settings_and_bounded(service: Service):
    a = service.linter(("promotion",))
    assert service.linter(("promotion",)) is a
    for n, cat in enumerate(("claim", "safety", "supervision", "disclaimer", "promotion.hype")):
        service.linter((cat,))
    assert len(service._linters) <= service.cache_size


def test_path_picks_per_path_settings(tmp_path: Path, ruleset: Any):
    (tmp_path / ".medlint.yaml").write_text("per_path:\n  'legal/**':\n    ignore: [promotion]\n",
                                            encoding="utf-8")
    app = create_app(Settings(config=str(tmp_path / ".medlint.yaml")))
    with TestClient(app) as c:
        plain = c.post("/v1/check", json={"text": DRAFT, "path": "blog/a.md"}).json()["findings"]
        legal = c.post("/v1/check", json={"text": DRAFT, "path": "legal/a.md"}).json()["findings"]
    assert any(f["category"] == "promotion" for f in plain)
    assert legal and not any(f["category"] == "promotion" for f in legal)
    assert {f["path"] for f in legal} == {"legal/a.md"}


def test_linting_runs_off_the_event_loop(client: TestClient, service: Service,
                                         monkeypatch: pytest.MonkeyPatch):
    seen = []
    real = service.run

    def run(request: Any) -> Any:
        try:
            asyncio.get_running_loop()
            seen.append("on the loop")
        except RuntimeError:
            seen.append("in a thread")
        return real(request)

    monkeypatch.setattr(service, "run", run)
    assert client.post("/v1/check", json={"text": DRAFT}).status_code == 200
    assert seen == ["in a thread"]


# -- /v2/check (LanguageTool) ------------------------------------------------------------------

def test_v2_check_has_languagetool_shape(client: TestClient):
    r = client.post("/v2/check", data={"text": DRAFT, "language": "en-US"})
    assert r.status_code == 200
    body = r.json()
    assert body["software"]["name"] == "medlint" and body["software"]["apiVersion"] == 1
    assert body["language"]["code"] == "en-US"
    assert body["matches"]
    for m in body["matches"]:
        for key in ("message", "shortMessage", "offset", "length", "replacements", "context", "sentence", "rule"):
            assert key in m
        assert set(m["rule"]) >= {"id", "description", "issueType", "category"}
        assert m["rule"]["category"]["id"] in {"claim", "promotion", "safety", "supervision", "disclaimer"}
        ctx = m["context"]
        assert ctx["text"][ctx["offset"]:ctx["offset"] + ctx["length"]] == DRAFT[m["offset"]:m["offset"] + m["length"]]
    by_rule = {m["rule"]["id"]: m for m in body["matches"]}
    # a substitution rule's suggestion replaces the words; a sentence to add is never a replacement
    assert by_rule["safety.suicide-language"]["replacements"] == [{"value": "died by suicide"}]
    assert by_rule["safety.suicide-no-crisis-resource"]["replacements"] == []
    # GET with a query string, as language_tool_python sends it, gives the same answer
    assert client.get("/v2/check", params={"text": DRAFT, "language": "auto"}).json()["matches"] == body["matches"]


def test_v2_rule_and_category_fields(client: TestClient):
    def ids(**fields: str) -> set[str]:
        r = client.post("/v2/check", data={"text": DRAFT, "language": "en", **fields})
        assert r.status_code == 200, r.text
        return {m["rule"]["id"] for m in r.json()["matches"]}

    every = ids()
    assert "promotion.hype" in every
    # LanguageTool's own ids (LTeX sends them) are ignored, not errors
    assert ids(disabledRules="MORFOLOGIK_RULE_EN_US,promotion.hype") == every - {"promotion.hype"}
    assert not any(i.startswith("promotion") for i in ids(disabledCategories="PROMOTION,TYPOS"))
    assert ids(enabledRules="promotion.hype", enabledOnly="true") == {"promotion.hype"}
    assert {i.split(".")[0] for i in ids(enabledCategories="safety", enabledOnly="true")} == {"safety"}
    assert ids(enabledRules="SOME_LT_RULE", enabledOnly="true") == set()


def test_v2_annotated_data_maps_offsets_into_the_annotated_string(client: TestClient):
    parts = [
        {"markup": "<p class=\"😀\">"},
        {"text": "Ketamine is "},
        {"markup": "<b>"},
        {"text": "completely safe"},
        {"markup": "</b>"},
        {"text": ". 😀 It cures "},
        {"markup": "<br/>", "interpretAs": "\n"},
        {"text": "depression."},
        {"markup": "</p>", "interpretAs": "\n\n"},
    ]
    original = "".join(p.get("text", p.get("markup")) for p in parts)
    r = client.post("/v2/check", data={"data": json.dumps({"annotation": parts}), "language": "en-US"})
    assert r.status_code == 200, r.text
    found = {utf16_slice(original, m["offset"], m["offset"] + m["length"]) for m in r.json()["matches"]}
    assert {"completely safe", "cures"} <= found
    for m in r.json()["matches"]:  # context is cut from the same annotated string
        ctx = m["context"]
        assert utf16_slice(ctx["text"], ctx["offset"], ctx["offset"] + ctx["length"]) in found


def test_v2_languages_lists_english(client: TestClient):
    langs = client.get("/v2/languages").json()
    assert {"name", "code", "longCode"} <= set(langs[0])
    assert "en-US" in {lang["longCode"] for lang in langs}


# -- rules, health, page -------------------------------------------------------------------------

def test_rules_listing_and_explain(client: TestClient, service: Service):
    rules = client.get("/v1/rules").json()["rules"]
    assert {r["id"] for r in rules} == {r.id for r in service.rules.values() if r.enabled}
    assert len(client.get("/v1/rules?all=true").json()["rules"]) == len(service.rules)
    one = client.get("/v1/rules/promotion.hype").json()
    assert one["why"] and one["source"]
    assert one["explain"] == explain_text(service.rules["promotion.hype"])
    missing = client.get("/v1/rules/promotion.hyp")
    assert missing.status_code == 404
    assert "promotion.hype" in missing.json()["error"]["message"]


def test_review_page_and_assets_are_local(client: TestClient):
    page = client.get("/")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    for name, kind in (("review.css", "text/css"), ("review.js", "text/javascript"),
                       ("page.js", "text/javascript")):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and r.headers["content-type"].startswith(kind)
    assert client.get("/static/../app.py").status_code == 404


def test_rendered_html_escapes_the_draft(client: TestClient):
    evil = '<script>alert("x")</script> <img src=x onerror=alert(1)> Ketamine is completely safe.'
    body = client.post("/v1/check", json={"text": evil, "format": "text", "html": True}).json()
    html = body["html"]
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'class="f cat-claim sev-error"' in html


# -- errors, limits, safety ------------------------------------------------------------------------

@pytest.mark.parametrize("body, status, words", [
    (b"{not json", 400, "not valid JSON"),
    (b"[1, 2]", 400, "JSON object"),
    (b'{"text": 3}', 400, "'text' must be a string"),
    (b'{"text": "a", "fields": []}', 400, "exactly one"),
    (b"{}", 400, "exactly one"),
    (b'{"text": "a", "colour": "red"}', 400, "unknown key 'colour'"),
    (b'{"fields": [{"name": "t", "text": 1}]}', 400, "'text' must be a string"),
    (b'{"fields": [{"name": "t", "text": "a"}, {"name": "t", "text": "b"}]}', 400, "given twice"),
    (b'{"text": "a", "select": 5}', 400, "'select' must be"),
    (b'{"text": "a", "format": "docx"}', 422, "unknown format 'docx'"),
    (b'{"fields": [{"name": "t", "text": "a", "format": "pdf"}]}', 422, "unknown format 'pdf'"),
    (b'{"text": "a", "select": ["promotion.hyp"]}', 422, "did you mean 'promotion.hype'"),
    (b'{"text": "a", "ignore": ["nosuchthing"]}', 422, "unknown rule id"),
    (b'{"text": "a", "min_severity": "fatal"}', 422, "min_severity"),
    (b'\xff\xfe{"text": "a"}', 400, "not valid UTF-8"),
])
def test_v1_errors_are_clear(client: TestClient, body: bytes, status: int, words: str):
    r = client.post("/v1/check", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    assert words in r.json()["error"]["message"]


@pytest.mark.parametrize("fields, status, words", [
    ({"language": "en-US"}, 400, "missing 'text' or 'data'"),
    ({"text": "a"}, 400, "missing 'language'"),
    ({"text": "a", "language": "de-DE"}, 400, "not supported"),
    ({"data": "{oops", "language": "en"}, 400, "not valid JSON"),
    ({"data": '{"annotation": [{"text": "a", "markup": "b"}]}', "language": "en"}, 400, "exactly one"),
    ({"data": '{"annotation": 3}', "language": "en"}, 400, "annotation"),
    ({"text": "a", "data": '{"annotation": []}', "language": "en"}, 400, "not both"),
    ({"text": "a", "language": "en", "format": "docx"}, 400, "unknown format"),
])
def test_v2_errors_are_plain_text_like_languagetool(client: TestClient, fields: dict[str, str],
                                                     status: int, words: str):
    r = client.post("/v2/check", data=fields)
    assert r.status_code == status
    assert r.text.startswith("Error: ") and words in r.text


def test_other_statuses(client: TestClient):
    assert client.get("/v1/check").status_code == 405
    assert client.get("/nowhere").status_code == 404
    assert client.get("/nowhere").json()["error"]["status"] == 404
    r = client.post("/v2/check", files={"text": ("a.txt", b"Ketamine cures depression.")},
                    data={"language": "en"})
    assert r.status_code == 415 and "x-www-form-urlencoded" in r.text
    assert client.get("/v2/check?text=%FF&language=en").status_code == 400


def test_body_cap_is_enforced_by_the_app(service: Service):
    with TestClient(create_app(Settings(no_config=True, max_body=2000), service)) as c:
        ok = c.post("/v1/check", json={"text": "x" * 1900})
        assert ok.status_code == 200
        big = c.post("/v1/check", json={"text": "x" * 3000})
        assert big.status_code == 413 and "2000 bytes" in big.json()["error"]["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'{"text": "'
            for _ in range(10):
                yield b"y" * 500
            yield b'"}'

        streamed = c.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        assert c.post("/v2/check", data={"text": "z" * 3000, "language": "en"}).status_code == 413
        assert c.get("/v2/check", params={"text": "z" * 3000, "language": "en"}).status_code == 413


def test_token_from_the_environment(service: Service, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MEDLINT_TEST_TOKEN", "s3cret-token")
    app = create_app(Settings(no_config=True, token_env="MEDLINT_TEST_TOKEN"), service)
    with TestClient(app) as c:
        denied = c.post("/v1/check", json={"text": DRAFT})
        assert denied.status_code == 401 and denied.headers["www-authenticate"].startswith("Bearer")
        wrong = c.post("/v1/check", json={"text": DRAFT}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        good = c.post("/v1/check", json={"text": DRAFT}, headers={"Authorization": "Bearer s3cret-token"})
        assert good.status_code == 200
        assert c.get("/v1/rules").status_code == 401
        assert c.post("/v2/check", data={"text": DRAFT, "language": "en"}).status_code == 401
        lt = c.post("/v2/check", data={"text": DRAFT, "language": "en", "apiKey": "s3cret-token"})
        assert lt.status_code == 200 and lt.json()["matches"]
        assert c.get("/healthz").status_code == 200  # open: load balancers probe it
        assert c.get("/").status_code == 200  # the page asks for the token itself
        assert c.get("/v2/languages").status_code == 200  # clients ask before sending a key


def test_cors_is_off_unless_origins_are_listed(client: TestClient, service: Service):
    origin = {"Origin": "https://cms.example"}
    assert "access-control-allow-origin" not in client.post("/v1/check", json={"text": "a"}, headers=origin).headers
    app = create_app(Settings(no_config=True, cors_origins=["https://cms.example"]), service)
    with TestClient(app) as c:
        r = c.post("/v1/check", json={"text": "a"}, headers=origin)
        assert r.headers["access-control-allow-origin"] == "https://cms.example"
        pre = c.options("/v1/check", headers={**origin, "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "authorization,content-type"})
        assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]
        other = c.post("/v1/check", json={"text": "a"}, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


ODD = [
    "", " ", "\x00", "Ketamine\x00 cures\x00 depression.", "\ud800 lone \udfff surrogates cures",
    "\u202eKetamine cures depression\u202c", "\ufeffBOM then completely safe", "\r\n\r\n\r",
    "# " * 5000, "<" * 3000 + "Ketamine cures", "```\nunclosed fence cures", "<p><b>unclosed <i>cures",
    "&amp;&#0;&#xD800;&#x110000; &bogus; cures", "It is completely safe. " * 1000,
    "completely safe " * 500,  # one long sentence, many findings (see the closing note on context)
    "a" * 300_000 + " Ketamine cures depression.",  # one huge line, under the 1 MB cap
    "😀" * 5000 + " cures", "\u0301\u0301 combining cures",
]


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_odd_text_never_gives_a_500(client: TestClient, fmt: str):
    for text in ODD:
        payload = json.dumps({"text": text, "format": fmt, "html": True})  # surrogates as \\ud800 escapes
        r = client.post("/v1/check", content=payload, headers={"content-type": "application/json"})
        assert r.status_code == 200, (text[:40], r.text[:200])
        clean = text.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd")
        for f in r.json()["findings"]:
            assert clean[f["start"]:f["end"]] == f["match"]
        lt = client.post("/v2/check", data={"text": clean, "language": "en", "format": fmt})
        assert lt.status_code == 200, (text[:40], lt.text[:200])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), fmt=st.sampled_from(["markdown", "html", "text"]))
def test_any_text_gives_an_answer(client: TestClient, text: str, fmt: str):
    r = client.post("/v1/check", content=json.dumps({"text": text, "format": fmt}),
                    headers={"content-type": "application/json"})
    assert r.status_code == 200
    for f in r.json()["findings"]:
        assert utf16_slice(text, f["utf16_start"], f["utf16_end"]) == f["match"]  # no surrogates in st.text


# -- the command ------------------------------------------------------------------------------

def test_serve_command_reports_bad_settings_before_binding(tmp_path: Path):
    from click.testing import CliRunner

    from medlint.cli import main
    from medlint.server.run import is_loopback, parse_size

    bad = CliRunner().invoke(main, ["serve", "--max-body", "lots"])
    assert bad.exit_code == 2 and "--max-body" in bad.output and "not a size" in bad.output
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("select: [nosuchrule]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--config", str(cfg), "--port", "1"])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output and "nosuchrule" in result.output
    assert parse_size("1MB") == 1_000_000 and parse_size("512KiB") == 524_288 and parse_size("2048") == 2048
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")
