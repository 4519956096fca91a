"""GB 11643 ID numbers: every valid number passes; every single-character change is caught."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhijia.members.idnumber import CHECK_CHARS, KNOWN_PROVINCES, IdNumberError, check_character, parse_id_number

TODAY = date(2026, 11, 21)
DIGITS = "0123456789"


@st.composite
def valid_id_numbers(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(KNOWN_PROVINCES)))
    area = draw(st.text(DIGITS, min_size=4, max_size=4))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.text(DIGITS, min_size=3, max_size=3))
    first17 = f"{province}{area}{born:%Y%m%d}{sequence}"
    return first17 + check_character(first17)


@given(valid_id_numbers())
def test_every_valid_number_passes(value: str) -> None:
    assert parse_id_number(value, today=TODAY).value == value


@given(valid_id_numbers(), st.integers(min_value=0, max_value=17), st.sampled_from(DIGITS + "X"))
def test_every_single_character_change_is_caught(value: str, position: int, replacement: str) -> None:
    if value[position] == replacement:
        return
    changed = value[:position] + replacement + value[position + 1 :]
    with pytest.raises(IdNumberError):
        parse_id_number(changed, today=TODAY)


@given(valid_id_numbers())
def test_a_lowercase_x_is_accepted_and_stored_as_upper_case(value: str) -> None:
    # Change the last two sequence digits until the check character is X (some pair always gets there).
    first17 = next(
        candidate for n in range(100) if check_character(candidate := f"{value[:14]}{value[14]}{n:02d}") == "X"
    )
    assert parse_id_number(first17 + "x", today=TODAY).value == first17 + "X"


def test_first_generation_numbers_are_refused_with_the_reason() -> None:
    with pytest.raises(IdNumberError) as refused:
        parse_id_number("110105491231002")
    assert refused.value.code == "id_number.first_generation"
    assert "15 位" in refused.value.message


def test_a_birth_date_in_the_future_is_refused() -> None:
    born = TODAY + timedelta(days=1)
    first17 = f"110105{born:%Y%m%d}001"
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(first17 + check_character(first17), today=TODAY)
    assert refused.value.code == "id_number.birth_date"


def test_an_unknown_province_is_refused() -> None:
    first17 = "99010519491231002"
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(first17 + check_character(first17), today=TODAY)
    assert refused.value.code == "id_number.province"


def test_the_check_character_is_iso_7064_mod_11_2() -> None:
    # The standard's own example.
    assert check_character("11010519491231002") == "X"
    assert set(CHECK_CHARS) == set("0123456789X")


@pytest.mark.parametrize(
    "value",
    [
        "11²¹0119900101123X",  # superscripts: str.isdigit takes them, int() refuses them
        "11010５19900101123X",  # a full-width five
        "١١0105199001011232",  # Arabic-Indic ones
        "11010519900101123²",  # as the check character
    ],
)
def test_digits_of_other_scripts_are_refused_as_characters(value: str) -> None:
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(value, today=TODAY)
    assert refused.value.code == "id_number.characters"
    assert "身份证号码前 17 位应为数字" in refused.value.message
