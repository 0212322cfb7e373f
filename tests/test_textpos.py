"""UTF-16 / UTF-8 offsets derived from code-point offsets slice the same text."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from medlint.textpos import CodeUnits, units_in

SAMPLES = ["plain ascii", "café 😀 ketamine 治疗 🧠🧠 done", "😀", "", "é\r\n😀x"]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_every_offset_round_trips_and_slices(text: str, encoding: str) -> None:
    units = CodeUnits(text, encoding)
    codec = {"utf-16": "utf-16-le", "utf-8": "utf-8", "utf-32": "utf-32-le"}[encoding]
    width = {"utf-16": 2, "utf-8": 1, "utf-32": 4}[encoding]
    data = text.encode(codec)
    for start in range(len(text) + 1):
        u = units.to_units(start)
        assert data[: u * width].decode(codec) == text[:start]
        assert units.to_code_points(u) == start


def test_offset_inside_a_surrogate_pair_rounds_down() -> None:
    units = CodeUnits("a😀b")
    assert units.to_units(2) == 3
    assert units.to_code_points(2) == 1  # the low surrogate of 😀 belongs to it


def test_span_and_count() -> None:
    text = "😀 cures"
    units = CodeUnits(text)
    assert units.span(2, 7) == (3, 5)
    assert units_in(text) == 8


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="encoding"):
        CodeUnits("x", "latin-1")
    with pytest.raises(ValueError, match="outside"):
        CodeUnits("x").to_units(5)


@given(st.text(), st.sampled_from(["utf-16", "utf-8"]))
def test_property_prefix_lengths(text: str, encoding: str) -> None:
    units = CodeUnits(text, encoding)
    codec = "utf-16-le" if encoding == "utf-16" else "utf-8"
    width = 2 if encoding == "utf-16" else 1
    for start in range(0, len(text) + 1, max(1, len(text) // 7)):
        assert units.to_units(start) * width == len(text[:start].encode(codec, "surrogatepass"))
