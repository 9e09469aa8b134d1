"""Citizen IDs built for made-up people (demo, synthetic volumes) read back as well formed."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from phoihop.core.identifiers import OLD_PROVINCE_CODES, citizen_id, citizen_id_problem


@given(
    place=st.sampled_from(sorted(OLD_PROVINCE_CODES)),
    birth_year=st.integers(1900, dt.date.today().year),
    sex=st.sampled_from(["male", "female"]),
    serial=st.integers(0, 999_999),
)
def test_a_built_citizen_id_reads_back_with_its_birth_year_and_sex(
    place: str, birth_year: int, sex: str, serial: int
) -> None:
    value = citizen_id(place, birth_year=birth_year, sex=sex, serial=serial)

    assert len(value) == 12
    assert citizen_id_problem(value, birth_year=birth_year, sex=sex) is None


def test_the_fourth_digit_carries_century_and_sex() -> None:
    assert citizen_id("042", birth_year=1987, sex="male", serial=12) == "042087000012"
    assert citizen_id("042", birth_year=2003, sex="female", serial=345678) == "042303345678"
