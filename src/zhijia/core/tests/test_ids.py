from zhijia.core.ids import MAX_ID, int_from_text, valid_id


def test_only_a_positive_integer_within_64_bits_can_be_an_id():
    assert valid_id(1)
    assert valid_id(MAX_ID)
    for value in (0, -1, MAX_ID + 1, 10**30, True, 1.0, "1", None):
        assert not valid_id(value), value


def test_a_number_from_a_page_is_ascii_digits_within_64_bits():
    assert int_from_text("42") == 42
    assert int_from_text(" 7 ") == 7
    assert int_from_text("0") == 0
    assert int_from_text(str(MAX_ID)) == MAX_ID
    # str.isdigit takes these; they are no number anybody typed into a link or a form
    for value in ("²", "1²", "٣", "３", "-1", "+1", "1_000", "1.0", "", " ", str(MAX_ID + 1), "9" * 40, None, 5):
        assert int_from_text(value) is None, value
