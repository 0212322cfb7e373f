"""JUnit XML, for CI test-report viewers (GitLab, Jenkins, Azure DevOps, test-reporter actions).

One ``<testsuite name="medlint">`` inside ``<testsuites>``; one ``<testcase>`` per file
checked, clean files included, so the viewer shows what passed as well as what failed; one
``<failure>`` per finding (``type`` is the rule id, ``message`` the one-line finding, the
body adds the rule's rationale); a file that could not be read is a testcase with an
``<error>``. The XML is built with ElementTree, so markup in messages is escaped; characters
XML 1.0 cannot carry at all (most control characters, which a draft may contain and a
message may quote) are replaced with U+FFFD, because a parser rejects the whole report for
one of them.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from ..finding import Finding
from . import Report, replacement, rules_by_id

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(report: Report) -> str:
    rules = rules_by_id(report)
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_file[f.path or "-"].append(f)
    files = list(dict.fromkeys([*report.files, *by_file]))  # checked order; any stray path last

    tests = len(files) + len(report.errors)
    failures = sum(1 for name in files if by_file.get(name))
    counts = {"tests": str(tests), "failures": str(failures), "errors": str(len(report.errors))}
    root = ET.Element("testsuites", {"name": "medlint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "medlint", **counts, "skipped": "0"})
    for name in files:
        case = ET.SubElement(suite, "testcase", {"classname": "medlint", "name": xml_text(name),
                                                 "file": xml_text(name)})
        for f in by_file.get(name, []):
            failure = ET.SubElement(case, "failure", {
                "type": f.rule,
                "message": xml_text(f"{f.line}:{f.column}: {f.severity.value} [{f.rule}] {f.message}"),
            })
            failure.text = xml_text(_body(f, rules))
    for err in report.errors:
        case = ET.SubElement(suite, "testcase", {"classname": "medlint", "name": xml_text(err.path),
                                                 "file": xml_text(err.path)})
        ET.SubElement(case, "error", {"type": "read-error", "message": xml_text(err.message)}).text = \
            xml_text(err.message)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _body(f: Finding, rules: dict[str, object]) -> str:
    lines = [f"{f.path or '-'}:{f.line}:{f.column}: {f.severity.value} [{f.rule}] {f.message}"]
    if f.match:
        lines.append(f'Matched: "{" ".join(f.match.split())}"')
    swap = replacement(f, rules)
    if swap is not None:
        lines.append(f'Suggestion: replace with "{swap}"')
    elif f.suggestion:
        lines.append(f"Suggested text: {f.suggestion}")
    rule = rules.get(f.rule)
    if rule is not None:
        lines.append(f"Why: {getattr(rule, 'why', '')}")
        lines.append(f"Source: {getattr(rule, 'source', '')}")
    return "\n".join(lines)
