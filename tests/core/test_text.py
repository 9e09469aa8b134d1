import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from phoihop.core.text import clean_text, fold


def test_fold_ignores_diacritics_case_and_maps_d_bar():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐỒN BIÊN PHÒNG") == "don bien phong"
    assert fold("Hà Tĩnh") == fold("ha tinh")


def test_old_and_new_tone_placement_fold_alike():
    assert fold("hoà") == fold("hòa")
    assert fold("tuý") == fold("túy")
    assert fold("thuỷ") == fold("thủy")


def test_decomposed_input_is_stored_composed():
    decomposed = unicodedata.normalize("NFD", "Thiên Cầm")
    assert clean_text(f"  {decomposed}\t ") == "Thiên Cầm"
    assert unicodedata.is_normalized("NFC", clean_text(decomposed))


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(value):
    once = fold(value)
    assert fold(once) == once


@given(
    st.text(
        alphabet="aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ "  # noqa: E501
    )
)
def test_vietnamese_letters_fold_to_plain_ascii(value):
    assert fold(value).isascii()
