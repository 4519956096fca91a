from zhijia.core.ids import MAX_ID, valid_id


def test_only_a_positive_integer_within_64_bits_can_be_an_id():
    assert valid_id(1)
    assert valid_id(MAX_ID)
    for value in (0, -1, MAX_ID + 1, 10**30, True, 1.0, "1", None):
        assert not valid_id(value), value
