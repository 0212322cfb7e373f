"""The review page in a real browser: headless Chromium (Debian's chromium + chromium-driver)
driven by Selenium pastes a draft, submits it, and finds the highlighted spans and their
messages in the DOM, and proves a draft's ``<script>`` does not run. A screenshot is saved in
the test's temporary folder. Skips with the reason when Chromium, chromedriver or Selenium is
missing (``.ci/run`` installs them with apt-get)."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed: pip install '.[server]'")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (in the test extra)")

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
DRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
if CHROMIUM is None or DRIVER is None:
    pytest.skip("headless Chromium is not installed (apt-get install chromium chromium-driver); "
                f"chromium: {CHROMIUM or 'missing'}, chromedriver: {DRIVER or 'missing'}",
                allow_module_level=True)

DRAFT = """# Ketamine clinic

Ketamine is a revolutionary treatment and completely safe.

<script>window.pwned = true; document.title = "pwned";</script>

His brother committed suicide. Call (555) 010-3344 to book your free consultation.
"""


@pytest.fixture(scope="module")
def server(ruleset: Any) -> Iterator[str]:
    import uvicorn

    from medlint.server.app import Settings, create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(Settings(no_config=True)), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage", "--window-size=1280,1000",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def test_review_page_highlights_a_pasted_draft(server: str, browser: Any, tmp_path: Path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/")
    box = browser.find_element(By.ID, "draft")
    box.clear()
    # set the value the way a paste does (send_keys would auto-close nothing, but is slow)
    browser.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", box, DRAFT)
    browser.find_element(By.ID, "submit").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#result a.f")))

    marks = browser.find_elements(By.CSS_SELECTOR, "#result pre.draft a.f")
    texts = {m.text for m in marks}
    assert {"revolutionary", "completely safe", "(555) 010-3344"} <= texts
    # overlapping findings: "committed suicide" (substitution) and "suicide" (no crisis
    # resource) are drawn as two pieces; the longer finding's pieces join to its words
    entry = browser.find_element(By.XPATH, "//li[.//code[text()='safety.suicide-language']]")
    ref = entry.get_attribute("id")
    pieces = [m for m in marks if ref in m.get_attribute("data-refs").split()]
    assert "".join(m.text for m in pieces) == "committed suicide"
    assert any(len(m.get_attribute("data-refs").split()) == 2 for m in pieces)
    safe = next(m for m in marks if m.text == "completely safe")
    assert "cat-claim" in safe.get_attribute("class") and "sev-error" in safe.get_attribute("class")
    assert "[claim.absolute-safety]" in safe.get_attribute("title")  # the message on hover
    # every highlight's colour comes from its category
    colours = {m.get_attribute("class").split()[1]: m.value_of_css_property("border-bottom-color") for m in marks}
    assert len(set(colours.values())) >= 3

    verdict = browser.find_element(By.CSS_SELECTOR, "#result .verdict")
    assert verdict.text.startswith("Not ready to publish")
    entries = browser.find_elements(By.CSS_SELECTOR, "#result li.finding")
    status = browser.find_element(By.ID, "status").text  # "7 findings."
    assert len(entries) == int(status.split()[0]) >= 5
    assert any("died by suicide" in e.text for e in entries)  # the replacement is shown

    # a click opens the finding: message, rule, and (inside) its rationale and source
    safe.click()
    pop = WebDriverWait(browser, 5).until(ec.visibility_of_element_located((By.ID, "popover")))
    assert "claim.absolute-safety" in pop.text and "completely safe" in pop.text
    assert pop.find_elements(By.CSS_SELECTOR, "details .why")

    # the draft's <script> is shown as text and never ran
    assert "<script>window.pwned = true;" in browser.find_element(By.CSS_SELECTOR, "#result pre.draft").text
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.title == "medlint review"

    shot = tmp_path / "review-page.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_review_page_checks_an_uploaded_html_file(server: str, browser: Any, tmp_path: Path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    page = tmp_path / "page.html"
    page.write_text("<h1>Clinic</h1><p>Our clinic offers a <b>revolutionary</b> cure &amp; more.</p>",
                    encoding="utf-8")
    browser.get(server + "/")
    browser.find_element(By.ID, "file").send_keys(str(page))
    WebDriverWait(browser, 10).until(lambda b: "Loaded page.html" in b.find_element(By.ID, "status").text)
    assert browser.find_element(By.ID, "format").get_attribute("value") == "html"
    assert "<b>revolutionary</b>" in browser.find_element(By.ID, "draft").get_attribute("value")
    browser.find_element(By.ID, "submit").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#result a.f")))
    texts = {m.text for m in browser.find_elements(By.CSS_SELECTOR, "#result pre.draft a.f")}
    assert "revolutionary" in texts
    # the HTML source is shown as text, tags and all
    assert "<b>revolutionary</b>" in browser.find_element(By.CSS_SELECTOR, "#result pre.draft").text


def test_html_report_file_works_offline(browser: Any, tmp_path: Path, linter: Any):
    """`medlint check --format html` output opened from disk: highlights and the click panel work
    with no server at all."""
    from selenium.webdriver.common.by import By

    from medlint.report import Report
    from medlint.report.html import render

    findings = linter.lint(DRAFT, "markdown", "draft.md")
    page = tmp_path / "report.html"
    page.write_text(render(Report(findings=findings, files_checked=1, rules=list(linter.rules),
                                  files=["draft.md"], sources={"draft.md": DRAFT}, tool_version="0.1.0")),
                    encoding="utf-8")
    browser.get(page.as_uri())
    marks = browser.find_elements(By.CSS_SELECTOR, "pre.draft a.f")
    assert len(marks) >= 5
    marks[0].click()
    assert browser.find_element(By.ID, "popover").is_displayed()
    assert browser.execute_script("return window.pwned === undefined")
    browser.save_screenshot(str(tmp_path / "report.png"))
