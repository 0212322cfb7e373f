"""Drafts of our own in all three formats, for the threading and offset tests.

They mix what positions get wrong: CRLF, tabs, emoji, combining marks, entities, tables,
comments, code and front matter, with enough problems that every category fires.
"""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

HTML = (
    "<!DOCTYPE html>\r\n<html><head><title>A miracle</title></head><body>\r\n"
    "<h1>Ketamine clinic &ndash; \U0001F48A a fresh start</h1>\r\n"
    "<p>Ketamine is FDA&#8209;approved for depression &amp; it&rsquo;s a <b>breakthrough</b>.\r\n"
    "Studies have shown it works for everyone.<br>Call now on 555&nbsp;0100!</p>\r\n"
    "<ul><li>Infusions twice a week<li>Cafe\u0301 lounge with\tno side effects</ul>\r\n"
    "<table><tr><th>Drug</th><th>Status</th></tr><tr><td>Ketamine</td><td>Schedule I</td></tr></table>\r\n"
    "<p>Some people have suicidal thoughts.</p><script>var cure = 'miracle';</script>\r\n"
    "<!-- medlint-disable-next-line promotion -->\r\n<p>Revolutionary care.</p>\r\n"
    "<p><code>0.5 mg/kg</code> is never checked &#x2014; but 0.5&nbsp;mg/kg is.</p></body></html>\r\n"
)

MARKDOWN = (
    "---\ntitle: Miracle cure\n---\n\n# Ketamine \U0001F48A clinic\n\n"
    "Ketamine is a revolutionary, FDA-approved treatment for depression.\r\n"
    "Studies have shown it is 100% safe.\n\n"
    "- Infusions\tof 0.5 mg/kg twice a week\n- Lozenges at home\n\n"
    "| Drug | Status |\n|---|---|\n| Ketamine | Schedule I |\n\n"
    "Cafe\u0301 talk of suicide. Call us today: 555-0100.\n\n"
    "<!-- medlint-disable-next-line promotion.hype -->\nA miracle.\n\n"
    "```\nmiracle cure in code\n```\n"
)

TEXT = (
    "Ketamine Clinic\r\n\r\n"
    "Ketamine is FDA-approved for depression and has no side effects.\r\n"
    "\u2022 Infusions twice a week at home\r\n"
    "\tBook now \U0001F600 for a breakthrough.\r\n\r\n"
    "# medlint-disable-next-line claim\r\nIt is a cure.\r\n"
)

SAMPLES: dict[str, tuple[str, str]] = {
    "sample.html": (HTML, "html"),
    "sample.md": (MARKDOWN, "markdown"),
    "sample.txt": (TEXT, "text"),
}


def example_drafts() -> dict[str, tuple[str, str]]:
    """The project's example drafts and labelled fixtures, read from the repository."""
    from medlint.document import format_for_path

    out: dict[str, tuple[str, str]] = {}
    folders = [REPO / "examples", REPO / "tests" / "fixtures" / "labelled"]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in (".md", ".txt", ".html"):
                out[f"{folder.name}/{path.name}"] = (path.read_text(encoding="utf-8"),
                                                     format_for_path(path))
    return out
