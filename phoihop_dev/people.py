"""Vietnamese names for made-up people (demo cases, synthetic volumes): family names and middle
names drawn by how common they are in north-central Việt Nam, given names evenly."""

from __future__ import annotations

import random

from phoihop.cases.enums import Sex
from phoihop_dev.chance import pick

SURNAMES = (
    ("Nguyễn", 30), ("Trần", 10), ("Lê", 10), ("Phan", 7), ("Võ", 6), ("Hồ", 5), ("Phạm", 5),
    ("Hoàng", 4), ("Đặng", 4), ("Đậu", 3), ("Thái", 3), ("Bùi", 3), ("Dương", 3), ("Đinh", 2),
    ("Trương", 2), ("Ngô", 2), ("Đỗ", 2), ("Hà", 1), ("Chu", 1), ("Mai", 1), ("Cao", 1),
    ("Lương", 1), ("Tôn", 1),
)  # fmt: skip
MIDDLE = {
    Sex.MALE: (
        ("Văn", 30), ("Đình", 6), ("Hữu", 5), ("Xuân", 4), ("Quốc", 3), ("Minh", 3), ("Đức", 4),
        ("Công", 3), ("Thanh", 3), ("Ngọc", 2), ("Trọng", 2), ("Bá", 2), ("Sỹ", 2), ("Viết", 2),
    ),
    Sex.FEMALE: (
        ("Thị", 30), ("Thị Thu", 4), ("Thị Hồng", 4), ("Thị Thanh", 3), ("Thị Ngọc", 2),
        ("Thị Kim", 2), ("Thị Minh", 2),
    ),
}  # fmt: skip
GIVEN = {
    Sex.MALE: (
        "Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Hoàng", "Khánh", "Lâm",
        "Long", "Mạnh", "Nam", "Phong", "Phúc", "Quang", "Quân", "Sơn", "Tài", "Thành", "Thắng",
        "Tiến", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Hiếu", "Hòa", "Lực", "Kiên", "Đạt",
        "Thông", "Hưng", "Luân", "Nhật", "Tâm", "Thịnh", "Hậu", "Lộc", "Sáng", "Chiến",
    ),
    Sex.FEMALE: (
        "Hoa", "Hương", "Lan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo",
        "Trang", "Tuyết", "Vân", "Yến", "Hà", "Hằng", "Hiền", "Huyền", "Linh", "Loan", "Ly",
        "My", "Nhàn", "Sương", "Thủy", "Thúy", "Xuân",
    ),
}  # fmt: skip


def person_name(rng: random.Random, sex: str) -> str:
    """A full name (family, middle, given) for a person of `sex` ("male" or "female")."""
    return " ".join((pick(rng, SURNAMES), pick(rng, MIDDLE[Sex(sex)]), rng.choice(GIVEN[Sex(sex)])))
