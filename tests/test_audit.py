"""`medlint audit`: engines agree, tables keep their types, baselines diff by content, bad
pages are reported one by one, and report.html is one self-contained file a browser opens."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow", reason="medlint[audit] (pyarrow) is not installed")
pq = pytest.importorskip("pyarrow.parquet")
from click.testing import CliRunner  # noqa: E402

import medlint.patterns  # noqa: E402
from medlint.audit import FINDINGS_SCHEMA, PAGES_SCHEMA, lint_batch, lint_pages, run_audit  # noqa: E402
from medlint.audit.sample import pages as sample_pages  # noqa: E402
from medlint.cli import main  # noqa: E402

N = 300


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write((row if isinstance(row, str) else json.dumps(row)) + "\n")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """300 generated pages as JSONL and as a two-file Parquet folder, audited once locally."""
    d = tmp_path_factory.mktemp("site")
    rows = list(sample_pages(N))
    jsonl = write_jsonl(d / "pages.jsonl", rows)
    folder = d / "parquet"
    folder.mkdir()
    table = pa.Table.from_pylist(rows)
    pq.write_table(table.slice(0, 120), folder / "part-0.parquet", row_group_size=50)
    pq.write_table(table.slice(120), folder / "part-1.parquet", row_group_size=50)
    local = run_audit(jsonl, d / "local", engine="local", jobs=2, batch_size=37, progress=False)
    return {"dir": d, "rows": rows, "jsonl": jsonl, "parquet": folder, "local": local}


def test_local_and_dask_give_identical_tables(site: dict[str, Any]) -> None:
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    out = site["dir"] / "dask"
    # a cluster of the test's own, reached by address as --scheduler reaches a real one
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        audit = run_audit(site["jsonl"], out, engine="dask", scheduler=cluster.scheduler_address,
                          batch_size=37, progress=False)
        assert len(cluster.workers) == 2
    local = site["dir"] / "local"
    assert audit.exit_code == 0 and audit.pages == N
    a, b = pq.read_table(local / "findings.parquet"), pq.read_table(out / "findings.parquet")
    assert a.num_rows > N  # the generated pages do break rules
    assert a.equals(b)
    assert (local / "findings.parquet").read_bytes() == (out / "findings.parquet").read_bytes()
    assert pq.read_table(local / "pages.parquet").equals(pq.read_table(out / "pages.parquet"))


def test_dask_without_an_address_starts_and_closes_its_own_cluster(site: dict[str, Any]) -> None:
    pytest.importorskip("distributed", reason="dask.distributed is not installed")
    rows = site["rows"][:40]
    src = write_jsonl(site["dir"] / "forty.jsonl", rows)
    out = site["dir"] / "dask-own"
    audit = run_audit(src, out, engine="dask", jobs=2, batch_size=7, progress=False, dask_processes=False)
    assert audit.pages == 40
    local = pq.read_table(site["dir"] / "local" / "findings.parquet").to_pylist()
    assert pq.read_table(out / "findings.parquet").to_pylist() == [r for r in local if r["page_index"] < 40]


def test_one_process_and_a_parquet_folder_give_the_same_findings(site: dict[str, Any]) -> None:
    out = site["dir"] / "from-parquet"
    audit = run_audit(site["parquet"], out, jobs=1, batch_size=37, progress=False)
    assert audit.pages == N and audit.exit_code == 0
    assert pq.read_table(site["dir"] / "local" / "findings.parquet").equals(pq.read_table(out / "findings.parquet"))


def test_tables_have_the_declared_types_and_positions_point_into_the_fields(site: dict[str, Any]) -> None:
    out = site["dir"] / "local"
    findings, pages = pq.read_table(out / "findings.parquet"), pq.read_table(out / "pages.parquet")
    assert findings.schema.remove_metadata() == FINDINGS_SCHEMA
    assert pages.schema.remove_metadata() == PAGES_SCHEMA
    assert pages.column("page_index").to_pylist() == list(range(N))
    df = findings.to_pandas()
    assert str(df["line"].dtype) == "int32" and str(df["start"].dtype) == "int64"
    rows = site["rows"]
    fields = set()
    for f in findings.to_pylist():
        page = rows[f["page_index"]]
        assert f["page"] == page["url"]
        text = page[f["field"]]
        assert text[f["start"]:f["end"]] == f["match"], f
        before = text[:f["start"]]
        assert f["line"] == before.count("\n") + 1
        assert f["column"] == len(before) - (before.rfind("\n") + 1) + 1
        fields.add(f["field"])
    assert fields == {"title", "body"}
    order = [(f["page_index"]) for f in findings.to_pylist()]
    assert order == sorted(order)
    p = pages.to_pylist()
    assert sum(r["findings"] for r in p) == findings.num_rows
    assert all(r["publish"] == (r["verdict"] in ("clean", "warnings")) for r in p)
    assert all(r["error"] == 0 for r in p if r["publish"]) and any(r["publish"] for r in p)
    assert {r["section"] for r in p} == {"conditions", "treatments", "blog", "clinics", "news", "guides"}


def test_lint_batch_takes_and_returns_pandas_and_arrow() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"id": ["a/one.md", "a/two.html"],
                       "body": ["Ketamine cures depression.\n", "<p>Talk to your doctor first.</p>"]})
    findings = lint_batch(df)
    assert isinstance(findings, pd.DataFrame)
    assert list(findings.columns) == FINDINGS_SCHEMA.names
    assert "claim.absolute-outcome" in set(findings["rule"])
    pages = lint_batch(df, output="pages")
    assert list(pages["format"]) == ["markdown", "html"] and list(pages["page_index"]) == [0, 1]
    arrow = lint_batch(pa.RecordBatch.from_pandas(df, preserve_index=False))
    assert isinstance(arrow, pa.RecordBatch) and arrow.schema == FINDINGS_SCHEMA
    assert arrow.to_pandas().equals(findings)


def test_the_title_is_a_field_of_its_own_with_escapes_mapped_back() -> None:
    title = "Ketamine *cures* depression & <more>"
    batch = pa.RecordBatch.from_pylist([
        {"url": "/t/a.md", "title": title, "body": "Talk to your doctor.\n\nIt has no side effects.\n"},
        {"url": "/t/b.html", "title": title, "body": "<p>It has no side effects.</p>"},
        {"url": "/t/c.txt", "title": title, "body": "It has no side effects."},
    ])
    findings, _pages = lint_pages(batch)
    got = [(r["page"], r["field"], r["match"], r["line"], r["column"], r["start"])
           for r in findings.to_pylist() if r["rule"].startswith("claim.")]
    for page in ("/t/a.md", "/t/b.html", "/t/c.txt"):
        assert (page, "title", "cures", 1, 11, 10) in got
    assert ("/t/a.md", "body", "no side effects", 3, 8, 29) in got
    assert ("/t/b.html", "body", "no side effects", 1, 11, 10) in got


# -- baseline -------------------------------------------------------------------------------------
def test_baseline_diff_is_keyed_by_content_not_lines(tmp_path: Path) -> None:
    before = [
        {"url": "/a/moved", "body": "Ketamine cures depression.\n"},
        {"url": "/a/fixed", "body": "It has no side effects.\n"},
        {"url": "/a/worse", "body": "Talk to your doctor.\n"},
        {"url": "/a/removed", "body": "Ketamine cures depression.\n"},
    ]
    after = [
        {"url": "/a/moved", "body": "A new opening paragraph.\n\nAnd another.\n\nKetamine cures depression.\n"},
        {"url": "/a/fixed", "body": "Common side effects are headaches.\n"},
        {"url": "/a/worse", "body": "Talk to your doctor. Ketamine cures depression.\n"},
    ]
    run_audit(write_jsonl(tmp_path / "before.jsonl", before), tmp_path / "old", jobs=1, progress=False)
    new = run_audit(write_jsonl(tmp_path / "after.jsonl", after), tmp_path / "new", jobs=1, progress=False,
                    baseline=tmp_path / "old")
    f_old = pq.read_table(tmp_path / "old" / "findings.parquet").to_pylist()
    f_new = pq.read_table(tmp_path / "new" / "findings.parquet").to_pylist()

    def on(rows: list[dict[str, Any]], page: str) -> list[str]:
        return sorted(r["rule"] for r in rows if r["page"] == page)

    assert "claim.absolute-outcome" in on(f_old, "/a/moved") and "claim.absolute-safety" in on(f_old, "/a/fixed")
    moved = [r for r in f_new if r["page"] == "/a/moved" and r["rule"] == "claim.absolute-outcome"]
    assert moved and moved[0]["line"] == 5  # it moved down four lines ...
    b = new.tally.baseline
    assert b is not None
    # ... and is unchanged; what /a/worse gained is new; what /a/fixed lost is fixed
    gained = [r for r in on(f_new, "/a/worse") if r not in on(f_old, "/a/worse")]
    lost = [r for r in on(f_old, "/a/fixed") if r not in on(f_new, "/a/fixed")]
    assert b.new == len(gained) > 0 and sorted(b.new_rules.elements()) == sorted(gained)
    assert b.fixed == len(lost) > 0 and sorted(b.fixed_rules.elements()) == sorted(lost)
    assert b.gone == len(on(f_old, "/a/removed"))
    assert b.unchanged == len(f_new) - b.new
    assert "vs baseline: " in new.message and f"{b.new} new, {b.fixed} fixed" in new.message
    report = (tmp_path / "new" / "report.html").read_text()
    assert 'id="baseline"' in report and "New findings (" in report and "/a/worse" in report


# -- bad input --------------------------------------------------------------------------------------
def test_bad_pages_are_reported_one_by_one_and_the_audit_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"url": "/ok/page", "body": "Ketamine cures depression.", "format": "markdown"}),
        json.dumps({"url": "/bad/number", "body": 42}),
        json.dumps({"url": "/bad/missing", "title": "No body"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"url": "/bad/format", "body": "x", "format": "docx"}),
        json.dumps({"url": "/ok/title-not-text", "title": 7, "body": "Talk to your doctor."}),
        json.dumps({"body": "Talk to your doctor."}),
    ]
    data = "\n".join(lines).encode() + b'\n{"url": "/bad/latin1", "body": "caf\xe9"}\n'
    src.write_bytes(data)
    result = CliRunner().invoke(main, ["audit", str(src), "-o", str(tmp_path / "out"), "--no-config"])
    assert result.exit_code == 0, result.output
    assert "9 pages" in result.stdout and "6 unreadable" in result.stdout
    pages = {r["page"]: r for r in pq.read_table(tmp_path / "out" / "pages.parquet").to_pylist()}
    cause = {p: r["read_error"] for p, r in pages.items()}
    assert cause["/bad/number"] == f"{src}:2: body is a number, not text"
    assert cause["/bad/missing"].startswith(f"{src}:3: missing field 'body'")
    assert cause[f"{src}:4"].startswith(f"{src}:4: not valid JSON")
    assert cause[f"{src}:5"] == f"{src}:5: a page must be a JSON object, not list"
    assert cause["/bad/format"] == f"{src}:6: unknown format 'docx' (expected markdown, html or text)"
    assert cause[f"{src}:9"].startswith(f"{src}:9: not valid UTF-8")
    assert pages["/ok/page"]["verdict"] == "errors" and pages["/ok/page"]["read_error"] is None
    assert pages["/ok/title-not-text"]["verdict"] == "clean"
    assert "title is a number, not text" in pages["/ok/title-not-text"]["problems"][0]
    assert pages[f"{src}:8"]["read_error"] is None and "no url or id" in pages[f"{src}:8"]["problems"][0]
    assert sum(r["verdict"] == "unreadable" for r in pages.values()) == 6
    report = (tmp_path / "out" / "report.html").read_text()
    assert 'id="unreadable"' in report and "not valid JSON" in report


def test_bad_parquet_files_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    pq.write_table(pa.table({"url": ["/a/good"], "body": ["Ketamine cures depression."]}), folder / "a.parquet")
    (folder / "b.parquet").write_bytes(b"PAR1 this is not a parquet file")
    pq.write_table(pa.table({"url": ["/c/1", "/c/2"], "text": ["x", "y"]}), folder / "c.parquet")
    pq.write_table(pa.table({"id": [1, 2], "body": [1.5, None]}), folder / "d.parquet")
    pq.write_table(pa.table({"url": ["/e/ok", "/e/bad"], "body": [b"Talk to your doctor.", b"caf\xe9"]}),
                   folder / "e.parquet")
    audit = run_audit(folder, tmp_path / "out", jobs=1, progress=False)
    assert audit.exit_code == 0
    pages = pq.read_table(tmp_path / "out" / "pages.parquet").to_pylist()
    by = {r["page"]: r for r in pages}
    assert by["/a/good"]["verdict"] == "errors"
    assert by[str(folder / "b.parquet")]["read_error"].startswith(f"{folder / 'b.parquet'}: not a readable Parquet file")
    assert by["/c/1"]["read_error"] == f"{folder / 'c.parquet'}: missing column 'body' (columns: url, text)"
    assert by["1"]["read_error"] == f"{folder / 'd.parquet'} row 0: body is double, not text"
    assert by["2"]["read_error"] == f"{folder / 'd.parquet'} row 1: body is null"
    assert by["/e/ok"]["verdict"] == "clean" and "not valid UTF-8" in by["/e/bad"]["read_error"]
    assert [r["page_index"] for r in pages] == list(range(len(pages)))


def test_input_that_cannot_be_read_at_all_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "pages.parquet"
    bad.write_bytes(b"not parquet")
    runner = CliRunner()
    result = runner.invoke(main, ["audit", str(bad), "-o", str(tmp_path / "o1")])
    assert result.exit_code == 2 and f"{bad}: not a readable Parquet file" in result.stderr
    result = runner.invoke(main, ["audit", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o2")])
    assert result.exit_code == 2 and "no such file or directory" in result.stderr
    junk = write_jsonl(tmp_path / "junk.jsonl", ["{", "[1]"])
    result = runner.invoke(main, ["audit", str(junk), "-o", str(tmp_path / "o3")])
    assert result.exit_code == 2 and "2 unreadable" in result.stdout  # the tables still say why
    assert pq.read_table(tmp_path / "o3" / "pages.parquet").num_rows == 2
    result = runner.invoke(main, ["audit", str(junk), "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "--scheduler is for --engine dask" in result.output


SLOW_RULE = """\
rules:
  - id: house.backtrack
    kind: existence
    category: promotion
    severity: warning
    patterns: ['(a|aa)+$']
    message: Slow.
    why: Nested repetition backtracks exponentially, to test the time budget.
    source: test
"""


def test_a_rule_out_of_time_marks_the_page_incomplete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(medlint.patterns, "RULE_BUDGET", 0.3)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "rules.yaml").write_text(SLOW_RULE, encoding="utf-8")
    src = write_jsonl(tmp_path / "p.jsonl", [
        {"url": "/slow", "format": "text",
         "body": "Talk to your doctor. This page is for general information.\n\n" + "a" * 40 + "!"},
        {"url": "/fast", "format": "text", "body": "Ketamine cures depression."},
    ])
    audit = run_audit(src, tmp_path / "out", jobs=1, progress=False, config={"rule_dirs": [str(rules)]})
    pages = {r["page"]: r for r in pq.read_table(tmp_path / "out" / "pages.parquet").to_pylist()}
    assert pages["/slow"]["verdict"] == "incomplete" and not pages["/slow"]["publish"]
    assert "rule house.backtrack" in pages["/slow"]["problems"][0]
    assert "exceeded its time budget" in pages["/slow"]["problems"][0]
    assert pages["/fast"]["verdict"] == "errors"
    assert "1 incomplete" in audit.message


def test_a_folder_of_drafts(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "conditions").mkdir(parents=True)
    (site / "conditions" / "asthma.md").write_text("# Asthma\n\nOur inhaler cures asthma.\n")
    (site / "index.html").write_text("<h1>Clinic</h1><p>Book your visit today and get 20% off!</p>")
    (site / "conditions" / "broken.txt").write_bytes(b"caf\xe9 au lait\n")
    result = CliRunner().invoke(main, ["audit", str(site), "-o", str(tmp_path / "out"), "--no-progress"])
    assert result.exit_code == 0, result.output
    pages = pq.read_table(tmp_path / "out" / "pages.parquet").to_pylist()
    # in the order `medlint check` walks a folder: its files, then its folders
    assert [(p["page"], p["section"], p["format"]) for p in pages] == [
        ("index.html", "/", "html"), ("conditions/asthma.md", "conditions", "markdown"),
        ("conditions/broken.txt", "conditions", "text")]
    assert "not valid UTF-8" in pages[2]["read_error"] and "broken.txt:1" in pages[2]["read_error"]
    assert pages[1]["claim"] >= 1 and pages[0]["promotion"] >= 1


# -- report.html ----------------------------------------------------------------------------------
class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.external: list[str] = []
        self.svg_titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if a.get("href"):
            self.hrefs.append(a["href"] or "")
        for key in ("src", "href"):
            if (a.get(key) or "").startswith(("http:", "https:", "//")):
                self.external.append(a[key] or "")
        self._in_title = tag == "title" and "svg" in self.tags

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.svg_titles.append(data)
            self._in_title = False


def test_report_is_self_contained_and_holds_the_charts(site: dict[str, Any]) -> None:
    html = (site["dir"] / "local" / "report.html").read_text(encoding="utf-8")
    outline = Outline()
    outline.feed(html)
    outline.close()
    assert outline.tags.count("svg") >= 5
    for chart in ("Pages by verdict", "Findings per category", "Findings per rule", "Worst pages", "Worst sections"):
        assert chart in outline.svg_titles
    assert {"verdicts", "categories", "rules", "worst-pages", "sections", "pages"} <= outline.ids
    assert not outline.external and "script" not in outline.tags and "link" not in outline.tags
    anchors = [h[1:] for h in outline.hrefs if h.startswith("#")]
    assert any(a.startswith("p-") for a in anchors) and any(a.startswith("s-") for a in anchors)
    assert set(anchors) <= outline.ids  # every chart bar and page link lands on the page's findings


def test_report_escapes_what_pages_hold(tmp_path: Path) -> None:
    evil = '/x/"><script>alert(1)</script>'
    src = write_jsonl(tmp_path / "p.jsonl", [
        {"url": evil, "title": "<img src=x onerror=alert(2)> cures", "body": "<p>It cures <b>all</b>.</p>"},
        {"url": "/y/ok", "body": "{bad", "format": 3},
    ])
    run_audit(src, tmp_path / "out", jobs=1, progress=False)
    html = (tmp_path / "out" / "report.html").read_text()
    outline = Outline()
    outline.feed(html)
    assert "script" not in outline.tags and "img" not in outline.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_report_opens_in_headless_chromium(site: dict[str, Any], tmp_path: Path) -> None:
    browser = _browser()
    if browser is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium); .ci/run installs it")
    report = site["dir"] / "local" / "report.html"
    shot = tmp_path / "report.png"
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1600"]
    env = {**os.environ, "HOME": str(tmp_path)}
    dom = subprocess.run([*args, "--dump-dom", report.as_uri()], capture_output=True, text=True,
                         timeout=120, env=env)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<svg") >= 5 and "Findings per rule" in dom.stdout
    done = subprocess.run([*args, f"--screenshot={shot}", report.as_uri()], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.stat().st_size > 10_000


def test_progress_bar_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from medlint.audit.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    term, pipe = Terminal(), io.StringIO()
    for stream in (term, pipe):
        bar = Progress(10, stream=stream)
        bar._drawn = -1.0
        bar.update(4)
        bar.close()
    assert "audit [" in term.getvalue() and "4/10 pages" in term.getvalue() and term.getvalue().endswith("\n")
    assert pipe.getvalue() == ""
    src = write_jsonl(tmp_path / "p.jsonl", [{"url": "/a", "body": "Talk to your doctor."}])
    result = CliRunner().invoke(main, ["audit", str(src), "-o", str(tmp_path / "o"), "--progress"])
    assert result.exit_code == 0 and "1/1 pages" in result.stderr
    assert result.stdout.startswith("medlint audit: 1 page, 0 findings (0 errors")


def test_a_folder_of_jsonl_files_reads_them_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    (folder / "2026").mkdir(parents=True)
    write_jsonl(folder / "b.jsonl", [{"id": "b1", "body": "Talk to your doctor."}])
    write_jsonl(folder / "2026" / "a.jsonl", [{"id": "a1", "body": "It cures asthma."}, "oops"])
    (folder / "notes.md").write_text("Not a page: the folder is read as JSONL.\n")
    audit = run_audit(folder, tmp_path / "out", jobs=1, progress=False)
    pages = pq.read_table(tmp_path / "out" / "pages.parquet").to_pylist()
    assert [p["page"] for p in pages] == ["a1", f"{folder / '2026' / 'a.jsonl'}:2", "b1"]
    assert audit.pages == 3 and audit.exit_code == 0
