"""--show-source snippets: carets under the match with tabs, wide characters, long lines."""
from __future__ import annotations

from medlint.finding import Finding, Severity
from medlint.report.source import WIDTH, char_width, mark_line, safe_text, snippet


def finding_at(text: str, match: str, occurrence: int = 0) -> Finding:
    """A finding on the ``occurrence``-th ``match`` in ``text``, positions as the linter gives."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(match, start + 1)
    end = start + len(match)

    def pos(offset: int) -> tuple[int, int]:
        before = text[:offset]
        return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1

    (line, col), (end_line, end_col) = pos(start), pos(end)
    return Finding(rule="promotion.hype", category="promotion", severity=Severity.WARNING,
                   message=f'"{match}" is promotional.', line=line, column=col, end_line=end_line,
                   end_column=end_col, start=start, end=end, match=match, path="d.md")


def caret_columns(shown: str, carets: str) -> str:
    """The shown characters that sit above carets (one terminal cell per caret)."""
    cells: list[str] = []
    for ch in shown:
        width = char_width(ch)
        if width == 0 and cells:
            cells[-1] += ch  # a combining mark rides on the cell before it
        else:
            cells.extend([ch] + [""] * (width - 1))
    return "".join(c for c, mark in zip(cells, carets) if mark == "^")


def test_carets_sit_under_the_match():
    shown, carets = mark_line("Ketamine is a revolutionary treatment.", 14, 27)
    assert shown == "Ketamine is a revolutionary treatment."
    assert carets == " " * 14 + "^" * 13
    assert caret_columns(shown, carets) == "revolutionary"


def test_tabs_expand_and_carets_follow():
    line = "\tA\tmiracle cure"
    shown, carets = mark_line(line, 3, 10)
    assert "\t" not in shown
    assert shown == "    A   miracle cure"
    assert caret_columns(shown, carets) == "miracle"


def test_wide_characters_take_two_cells():
    line = "治疗是革命性的 miracle cure"
    first = line.index("miracle")
    shown, carets = mark_line(line, first, first + 7)
    assert carets.index("^") == 2 * 7 + 1  # seven CJK characters, then a space
    assert caret_columns(shown, carets) == "miracle"


def test_wide_match_gets_two_carets_per_character():
    shown, carets = mark_line("a 奇迹 b", 2, 4)
    assert carets == "  ^^^^"


def test_combining_marks_and_emoji_keep_alignment():
    line = "Cafe\u0301 🚀 miracle"
    first = line.index("miracle")
    shown, carets = mark_line(line, first, first + 7)
    assert caret_columns(shown, carets) == "miracle"
    assert carets.index("^") == 4 + 1 + 2 + 1  # é is one cell, the rocket two


def test_control_characters_cannot_reach_the_terminal():
    shown, carets = mark_line("a \x1b[31mred\x1b[0m miracle", 15, 22)
    assert "\x1b" not in shown
    assert "␛" in shown
    assert caret_columns(shown, carets) == "miracle"
    assert "\u202e" not in safe_text("abc\u202edef")


def test_long_line_is_trimmed_around_the_match():
    line = "x" * 300 + " miracle " + "y" * 300
    first = line.index("miracle")
    shown, carets = mark_line(line, first, first + 7)
    assert len(shown) <= WIDTH
    assert shown.startswith("…") and shown.endswith("…")
    assert caret_columns(shown, carets) == "miracle"
    assert 20 < carets.index("^") < WIDTH - 20  # roughly centred


def test_long_match_starts_the_window_near_its_start():
    line = "intro " + "z" * 500
    shown, carets = mark_line(line, 6, 506)
    assert len(shown) <= WIDTH
    assert shown.startswith("intro") or shown.startswith("…")
    assert carets.count("^") >= WIDTH - 20


def test_match_near_the_end_of_a_long_line():
    line = "x" * 300 + " miracle"
    first = line.index("miracle")
    shown, carets = mark_line(line, first, first + 7)
    assert shown.endswith("miracle") and shown.startswith("…")
    assert caret_columns(shown, carets) == "miracle"


def test_empty_span_gets_one_caret():
    assert mark_line("abc", 1, 1)[1] == " ^"
    assert mark_line("abc", 3, 3)[1] == "   ^"


def test_snippet_has_gutter_and_line_number():
    text = "# Title\n\nA revolutionary drug.\n"
    rows = snippet(finding_at(text, "revolutionary"), text)
    assert rows == ["  |", "3 | A revolutionary drug.", "  |   ^^^^^^^^^^^^^"]


def test_snippet_with_crlf_shows_no_carriage_return():
    text = "line one\r\nA miracle.\r\n"
    rows = snippet(finding_at(text, "miracle"), text)
    assert rows[1] == "2 | A miracle."


def test_snippet_spanning_two_lines_marks_both():
    text = "It takes two sessions\na week for most.\n"
    rows = snippet(finding_at(text, "two sessions\na week"), text)
    assert rows[1] == "1 | It takes two sessions"
    assert rows[2].endswith("^" * len("two sessions"))
    assert rows[3] == "2 | a week for most."
    assert rows[4] == "  | ^^^^^^"


def test_snippet_over_many_lines_shows_first_three_and_last():
    text = "".join(f"line {n} words\n" for n in range(1, 9))
    f = finding_at(text, text[text.index("words"):text.index("line 7")])
    rows = snippet(f, text)
    numbers = [row.split("|")[0].strip() for row in rows if row.split("|")[0].strip()]
    assert numbers == ["1", "2", "3", "┆", "6"]
