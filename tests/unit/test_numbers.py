import pytest

from kg.extractors.numbers import find_numbers, is_year, parse_number


@pytest.mark.parametrize("text,expected", [
    ("improves by 1.0%-2.5% mIoU", [(1.0, 2.5, "%")]),
    ("a gain of 4.54\\% over", [(4.54, None, "%")]),
    ("with 85 million parameters", [(85e6, None, "params")]),
    ("a 1.3B parameters model", [(1.3e9, None, "params")]),
    ("runs 5.67x faster", [(5.67, None, "x")]),
    ("about 21 times more", [(21.0, None, "x")]),
    ("reaches 31.2 dB", [(31.2, None, "dB")]),
    ("uses ~10G FLOPs", [(1e10, None, "FLOPs")]),
    ("scores 1,234.5 points", [(1234.5, None, "points")]),
    ("ResNet-50 and GPT-4 and top-1", []),
    ("a 1008x672 image", []),
])
def test_find_numbers_values_units_ranges(text, expected):
    got = [(n.value, n.value_max, n.unit) for n in find_numbers(text)]
    assert got == expected


def test_signed_delta_and_year():
    nums = find_numbers("In 2023 it gained +0.6% on our benchmark")
    assert is_year(nums[0])
    assert nums[1].signed and nums[1].value == 0.6


@pytest.mark.parametrize("text,value", [("half", 0.5), ("1,234.5", 1234.5), ("85 million", 85e6), ("1e9", 1e9),
                                        ("NaN", None), ("∞", None), ("inf", None), ("abc", None)])
def test_parse_number(text, value):
    assert parse_number(text) == value
