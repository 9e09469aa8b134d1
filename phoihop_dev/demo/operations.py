"""Demo step: the joint operations of the demo province (Hà Tĩnh).

- quý III/2024 (15/06–14/09/2024): 22 delegations and 12 major events protected, disaster
  response and search and rescue, patrols on the border and at sea, an exercise;
- quý III/2023 and quý II/2024 hold the same kinds of records, to compare with;
- 2021, the COVID year: a checkpoint at the Cầu Treo international border gate with its daily
  counts, and the lockdown, quarantine and treatment zones and a key target guarded.

`plan()` is a pure function (fixed data and `random.Random` with fixed seeds): the same plan
every time. `build_operations` records it through the operation services as the users of the
scenario, every record joint (is_joint) so that the joint staff of each force see them all.
Only units that existed at the time take part (commune units of 2025 do not appear before the
reform). Idempotent: a record is recognised by its kind, owner unit, title and first day, a
daily count by its checkpoint and day, and what exists is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from phoihop.operations import services
from phoihop.operations.models import (
    Checkpoint,
    CheckpointCount,
    Exercise,
    OperationRecord,
    Patrol,
    ProtectedZone,
    Protection,
    Rescue,
)
from phoihop.operations.services import UnitPart
from phoihop_dev.chance import day_in

if TYPE_CHECKING:
    from phoihop_dev.demo.builder import DemoContext

PROVINCE_CODE = "42"
D = dt.date


@dataclass(frozen=True)
class Quarter:
    key: str
    start: dt.date
    end: dt.date
    seed: int
    # Delegations protected, by level.
    central: int
    ministry: int
    foreign: int


Q3_2023 = Quarter("2023-Q3", D(2023, 6, 15), D(2023, 9, 14), 52023, 3, 10, 5)
Q2_2024 = Quarter("2024-Q2", D(2024, 3, 15), D(2024, 6, 14), 42024, 3, 9, 5)
Q3_2024 = Quarter("2024-Q3", D(2024, 6, 15), D(2024, 9, 14), 52024, 4, 12, 6)
QUARTERS = (Q3_2023, Q2_2024, Q3_2024)

# (unit key, personnel, vehicles, vessels)
Part = tuple[str, int, int, int]


@dataclass(frozen=True)
class PlannedRecord:
    model: type[OperationRecord]
    username: str  # who records it (an officer or commander of the owner's tree)
    title: str
    start: dt.date
    end: dt.date | None
    fields: tuple[tuple[str, Any], ...]
    units: tuple[Part, ...]
    communes: tuple[str, ...] = ()
    place: str = ""
    outcome: str = ""
    lead: str | None = None  # the owner unit when below the user's unit
    counts: tuple[tuple[dt.date, int, int], ...] = ()  # a checkpoint's days
    quarter: str = ""


# --- protection of delegations and events -------------------------------------------------

_CENTRAL = (
    "Đoàn công tác của Thủ tướng Chính phủ",
    "Đoàn công tác của Chủ tịch Quốc hội",
    "Đoàn công tác của Thường trực Ban Bí thư",
    "Đoàn công tác của Phó Thủ tướng Chính phủ",
    "Đoàn công tác của Phó Chủ tịch nước",
    "Đoàn công tác của Ban Tổ chức Trung ương",
)
_MINISTRIES = (
    "Bộ Công an",
    "Bộ Quốc phòng",
    "Bộ Tư lệnh Bộ đội Biên phòng",
    "Bộ Tài nguyên và Môi trường",
    "Bộ Nông nghiệp và Phát triển nông thôn",
    "Bộ Giao thông vận tải",
    "Bộ Công Thương",
    "Bộ Y tế",
    "Bộ Tư lệnh Quân khu 4",
    "Ủy ban Quốc gia ứng phó sự cố, thiên tai và Tìm kiếm cứu nạn",
    "Bộ Giáo dục và Đào tạo",
    "Bộ Lao động - Thương binh và Xã hội",
)
# (delegation, place, communes, local units)
_FOREIGN = (
    ("Đoàn đại biểu cấp cao tỉnh Bolikhamxay (Lào)", "lao"),
    ("Đoàn đại biểu tỉnh Khammouane (Lào)", "lao"),
    ("Đoàn Công an tỉnh Bolikhamxay (Lào)", "lao"),
    ("Đoàn Bộ Chỉ huy Quân sự tỉnh Bolikhamxay (Lào)", "lao"),
    ("Đoàn Đại sứ quán Nhật Bản", "city"),
    ("Đoàn doanh nghiệp Hàn Quốc khảo sát đầu tư", "port"),
    ("Đoàn Tổng Lãnh sự quán Lào tại Đà Nẵng", "city"),
    ("Đoàn đại biểu tỉnh Hủa Phăn (Lào)", "lao"),
)
# Where delegations go: the place, its communes and the local units that help guard it.
_PLACES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "city": ("Trụ sở Tỉnh ủy, Ủy ban nhân dân tỉnh", ("thanh-sen",), ()),
    "lao": (
        "Cửa khẩu Quốc tế Cầu Treo",
        ("son-kim-1",),
        ("bp.cau-treo", "ca.son-kim-1", "qs.son-kim-1"),
    ),
    "port": ("Khu kinh tế Vũng Áng", ("vung-ang",), ("bp.vung-ang",)),
    "coast": ("Cảng cá Cửa Sót", ("loc-ha",), ("bp.cua-sot",)),
}

# (title, category, first day, last day, size, communes, place)
Event = tuple[str, str, dt.date, dt.date | None, int, tuple[str, ...], str]
_EVENTS: dict[str, tuple[Event, ...]] = {
    "2023-Q3": (
        (
            "Kỳ thi tốt nghiệp trung học phổ thông năm 2023",
            "social",
            D(2023, 6, 28),
            D(2023, 6, 30),
            17100,
            (),
            "Các điểm thi trên địa bàn tỉnh",
        ),
        (
            "Lễ hội Du lịch biển Thiên Cầm năm 2023",
            "cultural",
            D(2023, 6, 24),
            None,
            14000,
            ("thien-cam",),
            "Khu du lịch biển Thiên Cầm",
        ),
        (
            "Kỳ họp thường lệ giữa năm 2023 của Hội đồng nhân dân tỉnh",
            "political",
            D(2023, 7, 12),
            D(2023, 7, 14),
            350,
            ("thanh-sen",),
            "Hội trường Hội đồng nhân dân tỉnh",
        ),
        (
            "Giải bóng đá thiếu niên nhi đồng tỉnh Hà Tĩnh năm 2023",
            "sport",
            D(2023, 7, 6),
            D(2023, 7, 15),
            1800,
            ("thanh-sen",),
            "Sân vận động Hà Tĩnh",
        ),
        (
            "Lễ kỷ niệm 55 năm Chiến thắng Đồng Lộc (24/7/1968 - 24/7/2023)",
            "cultural",
            D(2023, 7, 24),
            None,
            3000,
            (),
            "Khu di tích lịch sử Ngã ba Đồng Lộc",
        ),
        (
            "Lễ kỷ niệm 76 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2023)",
            "political",
            D(2023, 7, 26),
            None,
            2500,
            ("thanh-sen",),
            "Nghĩa trang liệt sĩ tỉnh",
        ),
        (
            "Ngày hội toàn dân bảo vệ an ninh Tổ quốc điểm của tỉnh năm 2023",
            "social",
            D(2023, 8, 17),
            None,
            1200,
            ("tran-phu",),
            "Nhà văn hóa phường Trần Phú",
        ),
        (
            "Giải Việt dã tỉnh Hà Tĩnh năm 2023",
            "sport",
            D(2023, 8, 27),
            None,
            1400,
            ("tran-phu",),
            "Quảng trường Thành Sen",
        ),
        (
            "Giải đua thuyền truyền thống mừng Quốc khánh 2/9 năm 2023",
            "sport",
            D(2023, 9, 1),
            None,
            5500,
            ("loc-ha",),
            "Sông Nghèn",
        ),
        (
            "Lễ kỷ niệm 78 năm Cách mạng Tháng Tám và Quốc khánh 2/9",
            "political",
            D(2023, 9, 2),
            None,
            5000,
            ("thanh-sen",),
            "Quảng trường Thành Sen",
        ),
    ),
    "2024-Q2": (
        (
            "Lễ hội chùa Hương Tích năm 2024",
            "cultural",
            D(2024, 3, 20),
            D(2024, 3, 25),
            20000,
            (),
            "Khu danh thắng chùa Hương Tích",
        ),
        (
            "Giải Marathon Hà Tĩnh năm 2024",
            "sport",
            D(2024, 4, 14),
            None,
            4000,
            ("thanh-sen",),
            "Quảng trường Thành Sen",
        ),
        (
            "Ngày hội văn hóa các dân tộc miền Tây Hà Tĩnh",
            "cultural",
            D(2024, 4, 20),
            None,
            3000,
            ("huong-xuan",),
            "Sân vận động xã Hương Xuân",
        ),
        (
            "Lễ kỷ niệm 49 năm Ngày Giải phóng miền Nam, thống nhất đất nước",
            "political",
            D(2024, 4, 29),
            None,
            2000,
            ("thanh-sen",),
            "Quảng trường Thành Sen",
        ),
        (
            "Giải bóng chuyền nữ các câu lạc bộ tỉnh Hà Tĩnh",
            "sport",
            D(2024, 5, 10),
            D(2024, 5, 12),
            800,
            ("vung-ang",),
            "Nhà thi đấu thị xã Kỳ Anh",
        ),
        (
            "Lễ kỷ niệm 134 năm Ngày sinh Chủ tịch Hồ Chí Minh",
            "political",
            D(2024, 5, 18),
            None,
            1500,
            ("thanh-sen",),
            "Tượng đài Chủ tịch Hồ Chí Minh",
        ),
        (
            "Khai mạc mùa du lịch biển Hà Tĩnh năm 2024",
            "cultural",
            D(2024, 5, 25),
            None,
            10000,
            ("thien-cam",),
            "Khu du lịch biển Thiên Cầm",
        ),
        (
            "Ngày hội hiến máu tình nguyện năm 2024",
            "social",
            D(2024, 6, 8),
            None,
            1500,
            ("tran-phu",),
            "Nhà văn hóa phường Trần Phú",
        ),
    ),
    "2024-Q3": (
        (
            "Lễ hội Du lịch biển Thiên Cầm năm 2024",
            "cultural",
            D(2024, 6, 22),
            None,
            15000,
            ("thien-cam",),
            "Khu du lịch biển Thiên Cầm",
        ),
        (
            "Kỳ thi tốt nghiệp trung học phổ thông năm 2024",
            "social",
            D(2024, 6, 27),
            D(2024, 6, 29),
            17850,
            (),
            "Các điểm thi trên địa bàn tỉnh",
        ),
        (
            "Giải bóng đá thiếu niên nhi đồng tỉnh Hà Tĩnh năm 2024",
            "sport",
            D(2024, 7, 5),
            D(2024, 7, 14),
            2000,
            ("thanh-sen",),
            "Sân vận động Hà Tĩnh",
        ),
        (
            "Kỳ họp thường lệ giữa năm 2024 của Hội đồng nhân dân tỉnh",
            "political",
            D(2024, 7, 10),
            D(2024, 7, 12),
            350,
            ("thanh-sen",),
            "Hội trường Hội đồng nhân dân tỉnh",
        ),
        (
            "Lễ kỷ niệm 56 năm Chiến thắng Đồng Lộc (24/7/1968 - 24/7/2024)",
            "cultural",
            D(2024, 7, 24),
            None,
            3000,
            (),
            "Khu di tích lịch sử Ngã ba Đồng Lộc",
        ),
        (
            "Lễ kỷ niệm 77 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2024)",
            "political",
            D(2024, 7, 26),
            None,
            2500,
            ("thanh-sen",),
            "Nghĩa trang liệt sĩ tỉnh",
        ),
        (
            "Ngày hội toàn dân bảo vệ an ninh Tổ quốc điểm của tỉnh năm 2024",
            "social",
            D(2024, 8, 15),
            None,
            1200,
            ("tran-phu",),
            "Nhà văn hóa phường Trần Phú",
        ),
        (
            "Giải Việt dã tỉnh Hà Tĩnh năm 2024",
            "sport",
            D(2024, 8, 25),
            None,
            1500,
            ("tran-phu",),
            "Quảng trường Thành Sen",
        ),
        (
            "Chương trình nghệ thuật chào mừng Quốc khánh 2/9",
            "cultural",
            D(2024, 8, 30),
            None,
            3000,
            ("thanh-sen",),
            "Quảng trường Thành Sen",
        ),
        (
            "Giải đua thuyền truyền thống mừng Quốc khánh 2/9 năm 2024",
            "sport",
            D(2024, 9, 1),
            None,
            6000,
            ("loc-ha",),
            "Sông Nghèn",
        ),
        (
            "Lễ kỷ niệm 79 năm Cách mạng Tháng Tám và Quốc khánh 2/9",
            "political",
            D(2024, 9, 2),
            None,
            5000,
            ("thanh-sen",),
            "Quảng trường Thành Sen",
        ),
        (
            "Lễ giỗ lần thứ 204 Đại thi hào Nguyễn Du",
            "cultural",
            D(2024, 9, 12),
            None,
            4000,
            (),
            "Khu di tích Nguyễn Du",
        ),
    ),
}


def _delegations(quarter: Quarter) -> list[PlannedRecord]:
    rng = random.Random(quarter.seed)
    wanted: list[tuple[str, str, str]] = []  # (level, title, place key)
    for name in rng.sample(_CENTRAL, quarter.central):
        wanted.append(("central_leaders", f"{name} thăm và làm việc tại tỉnh", "city"))
    for name in rng.sample(_MINISTRIES, quarter.ministry):
        place = rng.choice(("city", "city", "lao", "port", "coast"))
        wanted.append(("ministry", f"Đoàn công tác của {name} làm việc tại tỉnh", place))
    for name, place in rng.sample(_FOREIGN, quarter.foreign):
        wanted.append(("foreign", f"{name} thăm và làm việc tại tỉnh", place))
    records = []
    for level, title, place_key in wanted:
        start = day_in(rng, quarter.start, quarter.end)
        days = rng.choice((0, 0, 1, 1, 2))
        end = min(start + dt.timedelta(days=days), quarter.end) if days else None
        place, communes, local = _PLACES[place_key]
        heavy = 2 if level == "central_leaders" else 1
        units: list[Part] = [
            ("ca.tinh", rng.randint(30, 70) * heavy, rng.randint(4, 10) * heavy, 0),
            ("qs.tinh", rng.randint(8, 25) * heavy, rng.randint(1, 4), 0),
        ]
        units += [(key, rng.randint(6, 18), rng.randint(0, 2), 0) for key in local]
        records.append(
            PlannedRecord(
                Protection,
                "ca.tinh.chihuy",
                title,
                start,
                end,
                (("target", "delegation"), ("delegation_level", level)),
                tuple(units),
                communes,
                place,
                "Bảo đảm tuyệt đối an toàn cho đoàn, không để xảy ra tình huống bất ngờ.",
                quarter=quarter.key,
            )
        )
    return records


def _events(quarter: Quarter) -> list[PlannedRecord]:
    rng = random.Random(quarter.seed + 1)
    records = []
    for title, category, start, end, size, communes, place in _EVENTS[quarter.key]:
        incidents = 1 if rng.random() < 0.15 else 0
        police = min(400, max(25, size // 40))
        units: list[Part] = [
            ("ca.tinh", police, rng.randint(3, 12), 0),
            ("qs.tinh", rng.randint(10, 60), rng.randint(1, 5), 0),
        ]
        if "loc-ha" in communes or "thien-cam" in communes:
            border_post = "bp.cua-sot" if "loc-ha" in communes else "bp.thien-cam"
            units.append((border_post, rng.randint(8, 20), 0, rng.randint(1, 3)))
        outcome = (
            "Phát sinh 01 vụ gây rối trật tự, đã xử lý kịp thời."
            if incidents
            else "Sự kiện diễn ra an toàn, không phát sinh vụ việc."
        )
        records.append(
            PlannedRecord(
                Protection,
                "ca.tinh.chihuy",
                f"Bảo vệ {title[0].lower()}{title[1:]}",
                start,
                end,
                (
                    ("target", "event"),
                    ("event_category", category),
                    ("event_size", size),
                    ("incidents", incidents),
                ),
                tuple(units),
                communes,
                place,
                outcome,
                quarter=quarter.key,
            )
        )
    return records


# --- patrols, disaster response and rescue, exercises -------------------------------------

# (quarter, user, lead unit, title, route, first day, last day, sorties, violations, units,
#  communes)
_PATROLS: tuple[tuple[Any, ...], ...] = (
    # quý III/2023
    (
        "2023-Q3",
        "bp.cau-treo.canbo",
        None,
        "Tuần tra song phương đường biên, mốc giới Việt Nam - Lào khu vực mốc 429",
        "border",
        D(2023, 7, 18),
        D(2023, 7, 19),
        3,
        1,
        (("bp.cau-treo", 12, 2, 0), ("ca.son-kim-1", 4, 1, 0), ("qs.son-kim-1", 3, 0, 0)),
        ("son-kim-1",),
    ),
    (
        "2023-Q3",
        "bp.tinh.canbo",
        "bp.hai-doi-2",
        "Tuần tra, kiểm soát chống khai thác hải sản bất hợp pháp (IUU) vùng biển Thiên Cầm",
        "sea",
        D(2023, 8, 8),
        D(2023, 8, 12),
        4,
        2,
        (("bp.hai-doi-2", 18, 0, 2), ("bp.thien-cam", 8, 0, 1)),
        ("thien-cam",),
    ),
    (
        "2023-Q3",
        "ca.tinh.chihuy",
        None,
        "Tuần tra, kiểm soát trật tự an toàn giao thông dịp Quốc khánh 2/9/2023",
        "land",
        D(2023, 8, 30),
        D(2023, 9, 4),
        10,
        31,
        (("ca.tinh", 60, 12, 0), ("qs.tinh", 20, 3, 0)),
        (),
    ),
    (
        "2023-Q3",
        "bp.tinh.canbo",
        "bp.son-hong",
        "Tuần tra, kiểm soát tuyến biên giới khu vực Đồn Biên phòng Sơn Hồng",
        "border",
        D(2023, 9, 6),
        None,
        5,
        1,
        (("bp.son-hong", 14, 2, 0), ("qs.tinh", 4, 1, 0)),
        ("son-hong",),
    ),
    # quý II/2024
    (
        "2024-Q2",
        "bp.cau-treo.canbo",
        None,
        "Tuần tra song phương đường biên, mốc giới Việt Nam - Lào khu vực mốc 431",
        "border",
        D(2024, 4, 11),
        D(2024, 4, 12),
        3,
        0,
        (("bp.cau-treo", 12, 2, 0), ("ca.son-kim-2", 4, 1, 0), ("qs.son-kim-2", 3, 0, 0)),
        ("son-kim-2",),
    ),
    (
        "2024-Q2",
        "bp.tinh.canbo",
        "bp.hai-doi-2",
        "Tuần tra, kiểm soát chống khai thác hải sản bất hợp pháp (IUU) vùng biển Kỳ Khang",
        "sea",
        D(2024, 4, 22),
        D(2024, 4, 26),
        4,
        3,
        (("bp.hai-doi-2", 18, 0, 2), ("bp.ky-khang", 8, 0, 1)),
        ("ky-khang",),
    ),
    (
        "2024-Q2",
        "ca.tinh.chihuy",
        None,
        "Tuần tra, kiểm soát trật tự an toàn giao thông dịp nghỉ lễ 30/4 - 1/5/2024",
        "land",
        D(2024, 4, 27),
        D(2024, 5, 1),
        9,
        28,
        (("ca.tinh", 55, 10, 0), ("qs.tinh", 18, 3, 0)),
        (),
    ),
    (
        "2024-Q2",
        "ca.tinh.chihuy",
        None,
        "Tuần tra liên ngành bảo đảm an ninh trật tự Khu kinh tế Vũng Áng",
        "land",
        D(2024, 5, 15),
        D(2024, 5, 17),
        6,
        4,
        (("ca.tinh", 24, 4, 0), ("bp.vung-ang", 10, 1, 0), ("qs.tinh", 8, 1, 0)),
        ("vung-ang",),
    ),
    (
        "2024-Q2",
        "bp.tinh.canbo",
        "bp.ban-giang",
        "Tuần tra, kiểm soát tuyến biên giới khu vực Đồn Biên phòng Bản Giàng",
        "border",
        D(2024, 6, 4),
        None,
        4,
        1,
        (("bp.ban-giang", 12, 2, 0),),
        ("huong-xuan",),
    ),
    # quý III/2024
    (
        "2024-Q3",
        "bp.cau-treo.canbo",
        None,
        "Tuần tra song phương đường biên, mốc giới Việt Nam - Lào khu vực mốc 429",
        "border",
        D(2024, 7, 16),
        D(2024, 7, 17),
        4,
        1,
        (("bp.cau-treo", 14, 2, 0), ("ca.son-kim-1", 4, 1, 0), ("qs.son-kim-1", 3, 0, 0)),
        ("son-kim-1",),
    ),
    (
        "2024-Q3",
        "bp.tinh.canbo",
        "bp.son-hong",
        "Tuần tra, kiểm soát tuyến biên giới khu vực Đồn Biên phòng Sơn Hồng",
        "border",
        D(2024, 7, 30),
        None,
        6,
        2,
        (("bp.son-hong", 14, 2, 0), ("qs.tinh", 4, 1, 0)),
        ("son-hong",),
    ),
    (
        "2024-Q3",
        "bp.tinh.canbo",
        "bp.hai-doi-2",
        "Tuần tra, kiểm soát chống khai thác IUU vùng biển Thiên Cầm - Kỳ Khang",
        "sea",
        D(2024, 8, 5),
        D(2024, 8, 9),
        5,
        3,
        (("bp.hai-doi-2", 20, 0, 3), ("bp.thien-cam", 8, 0, 1), ("bp.ky-khang", 8, 0, 1)),
        ("thien-cam", "ky-khang"),
    ),
    (
        "2024-Q3",
        "bp.tinh.canbo",
        "bp.hai-doi-2",
        "Tuần tra liên ngành trên biển dịp cao điểm mùa mưa bão",
        "sea",
        D(2024, 8, 20),
        D(2024, 8, 22),
        3,
        1,
        (("bp.hai-doi-2", 16, 0, 2), ("ca.tinh", 6, 0, 0)),
        ("loc-ha", "dan-hai"),
    ),
    (
        "2024-Q3",
        "ca.tinh.chihuy",
        None,
        "Tuần tra, kiểm soát trật tự an toàn giao thông dịp Quốc khánh 2/9/2024",
        "land",
        D(2024, 8, 30),
        D(2024, 9, 3),
        12,
        37,
        (("ca.tinh", 64, 12, 0), ("qs.tinh", 20, 3, 0)),
        (),
    ),
    (
        "2024-Q3",
        "ca.tinh.chihuy",
        None,
        "Tuần tra liên ngành bảo đảm an ninh trật tự Khu kinh tế Vũng Áng",
        "land",
        D(2024, 9, 10),
        D(2024, 9, 12),
        8,
        5,
        (("ca.tinh", 24, 4, 0), ("bp.vung-ang", 10, 1, 0), ("qs.tinh", 8, 1, 0)),
        ("vung-ang",),
    ),
)

# (quarter, user, lead unit, title, kind, first day, last day, rescued, evacuated, vessels
#  assisted, units, communes, outcome)
_RESCUES: tuple[tuple[Any, ...], ...] = (
    (
        "2023-Q3",
        "bp.tinh.canbo",
        "bp.thien-cam",
        "Cứu nạn tàu cá HT 90512 TS hỏng máy, trôi dạt ngoài khơi Thiên Cầm",
        "sea_accident",
        D(2023, 8, 11),
        None,
        9,
        0,
        1,
        (("bp.thien-cam", 10, 0, 1), ("bp.hai-doi-2", 14, 0, 1)),
        ("thien-cam",),
        "Lai dắt tàu cá và 09 thuyền viên vào bờ an toàn.",
    ),
    (
        "2023-Q3",
        "qs.tinh.chihuy",
        None,
        "Ứng phó mưa lớn, ngập lụt tại các xã miền núi",
        "flood",
        D(2023, 9, 1),
        D(2023, 9, 3),
        4,
        620,
        0,
        (("qs.tinh", 180, 14, 4), ("ca.tinh", 90, 10, 0), ("bp.tinh", 60, 4, 2)),
        ("huong-son", "son-hong"),
        "Sơ tán 620 người dân khỏi vùng ngập sâu, cứu 04 người bị nước cuốn.",
    ),
    (
        "2023-Q3",
        "ca.tinh.chihuy",
        None,
        "Chữa cháy kho hàng tại Khu kinh tế Vũng Áng",
        "fire",
        D(2023, 7, 5),
        None,
        2,
        40,
        0,
        (("ca.tinh", 45, 8, 0), ("bp.vung-ang", 12, 1, 0), ("qs.tinh", 20, 2, 0)),
        ("vung-ang",),
        "Dập tắt đám cháy sau 3 giờ, cứu 02 công nhân mắc kẹt.",
    ),
    (
        "2024-Q2",
        "bp.tinh.canbo",
        "bp.ky-khang",
        "Cứu nạn ngư dân bị nạn trên vùng biển Kỳ Khang",
        "sea_accident",
        D(2024, 5, 9),
        None,
        3,
        0,
        1,
        (("bp.ky-khang", 8, 0, 1), ("bp.hai-doi-2", 12, 0, 1)),
        ("ky-khang",),
        "Cứu 03 ngư dân, lai dắt thuyền vào bờ.",
    ),
    (
        "2024-Q2",
        "qs.tinh.chihuy",
        None,
        "Khắc phục sạt lở đất trên Quốc lộ 8A, khu vực Sơn Kim 1",
        "landslide",
        D(2024, 5, 20),
        D(2024, 5, 22),
        0,
        45,
        0,
        (("qs.son-kim-1", 25, 2, 0), ("ca.son-kim-1", 10, 1, 0), ("bp.cau-treo", 15, 1, 0)),
        ("son-kim-1",),
        "Sơ tán 45 người dân, thông tuyến sau 2 ngày.",
    ),
    (
        "2024-Q3",
        "qs.tinh.chihuy",
        None,
        "Chữa cháy rừng tại khu vực giáp ranh xã Sơn Kim 2",
        "fire",
        D(2024, 6, 27),
        D(2024, 6, 28),
        0,
        0,
        0,
        (("qs.son-kim-2", 40, 2, 0), ("ca.son-kim-2", 15, 2, 0), ("bp.cau-treo", 25, 1, 0)),
        ("son-kim-2",),
        "Khống chế đám cháy, không để lan rộng.",
    ),
    (
        "2024-Q3",
        "bp.tinh.canbo",
        "bp.hai-doi-2",
        "Cứu nạn tàu cá HT 90368 TS bị chìm tại vùng biển Cửa Sót",
        "sea_accident",
        D(2024, 7, 18),
        None,
        6,
        0,
        1,
        (("bp.hai-doi-2", 15, 0, 2), ("bp.cua-sot", 10, 0, 1)),
        ("loc-ha",),
        "Cứu 06 thuyền viên an toàn.",
    ),
    (
        "2024-Q3",
        "qs.tinh.chihuy",
        None,
        "Ứng phó bão số 3 (Yagi): sơ tán dân, hướng dẫn tàu thuyền tránh trú",
        "storm",
        D(2024, 9, 5),
        D(2024, 9, 8),
        0,
        2150,
        36,
        (("qs.tinh", 350, 30, 0), ("ca.tinh", 220, 25, 0), ("bp.tinh", 180, 10, 14)),
        ("dan-hai", "loc-ha", "thien-cam", "ky-khang"),
        "Sơ tán 2.150 người, hướng dẫn 36 tàu thuyền vào nơi tránh trú an toàn.",
    ),
    (
        "2024-Q3",
        "ca.son-kim-1.canbo",
        None,
        "Tìm kiếm người bị lũ cuốn trôi trên sông Ngàn Phố",
        "flood",
        D(2024, 9, 10),
        None,
        1,
        0,
        0,
        (("ca.son-kim-1", 10, 1, 0), ("qs.son-kim-1", 12, 0, 0), ("bp.cau-treo", 8, 0, 1)),
        ("son-kim-1",),
        "Cứu 01 người bị nước cuốn.",
    ),
)

# (quarter, user, lead unit, title, kind, first day, last day, participants, units, communes)
_EXERCISES: tuple[tuple[Any, ...], ...] = (
    (
        "2023-Q3",
        "qs.tinh.chihuy",
        None,
        "Diễn tập phòng thủ dân sự ứng phó bão, lũ năm 2023",
        "civil_defence",
        D(2023, 8, 24),
        None,
        650,
        (("qs.tinh", 150, 12, 2), ("ca.tinh", 80, 8, 0), ("bp.tinh", 60, 2, 4)),
        ("thien-cam",),
    ),
    (
        "2024-Q2",
        "bp.tinh.canbo",
        "bp.vung-ang",
        "Diễn tập ứng phó sự cố tràn dầu và tìm kiếm cứu nạn tại cảng Vũng Áng",
        "sar",
        D(2024, 5, 28),
        None,
        300,
        (("bp.vung-ang", 40, 2, 3), ("qs.tinh", 60, 4, 0), ("ca.tinh", 30, 4, 0)),
        ("vung-ang",),
    ),
    (
        "2024-Q3",
        "qs.tinh.chihuy",
        "qs.son-kim-1",
        "Diễn tập chiến đấu trong khu vực phòng thủ xã Sơn Kim 1 năm 2024",
        "defensive_area",
        D(2024, 8, 20),
        D(2024, 8, 22),
        420,
        (("qs.son-kim-1", 120, 6, 0), ("ca.son-kim-1", 40, 4, 0), ("bp.cau-treo", 50, 3, 0)),
        ("son-kim-1",),
    ),
)


def _patrols() -> list[PlannedRecord]:
    return [
        PlannedRecord(
            Patrol,
            user,
            title,
            start,
            end,
            (("route", route), ("sorties", sorties), ("violations", violations)),
            units,
            communes,
            lead=lead,
            quarter=quarter,
        )
        for (
            quarter,
            user,
            lead,
            title,
            route,
            start,
            end,
            sorties,
            violations,
            units,
            communes,
        ) in _PATROLS
    ]


def _rescues() -> list[PlannedRecord]:
    return [
        PlannedRecord(
            Rescue,
            user,
            title,
            start,
            end,
            (
                ("incident_kind", kind),
                ("people_rescued", rescued),
                ("people_evacuated", evacuated),
                ("vessels_assisted", vessels),
            ),
            units,
            communes,
            outcome=outcome,
            lead=lead,
            quarter=quarter,
        )
        for (
            quarter,
            user,
            lead,
            title,
            kind,
            start,
            end,
            rescued,
            evacuated,
            vessels,
            units,
            communes,
            outcome,
        ) in _RESCUES
    ]


def _exercises() -> list[PlannedRecord]:
    return [
        PlannedRecord(
            Exercise,
            user,
            title,
            start,
            end,
            (("exercise_kind", kind), ("participants_count", participants)),
            units,
            communes,
            lead=lead,
            quarter=quarter,
        )
        for (quarter, user, lead, title, kind, start, end, participants, units, communes) in (
            _EXERCISES
        )
    ]


# --- 2021: the COVID checkpoint and zones -------------------------------------------------

CHECKPOINT_START = D(2021, 8, 1)
CHECKPOINT_END = D(2021, 9, 30)


def _covid() -> list[PlannedRecord]:
    rng = random.Random(2021)
    days = (CHECKPOINT_END - CHECKPOINT_START).days + 1
    counts = tuple(
        (
            CHECKPOINT_START + dt.timedelta(days=i),
            rng.randint(150, 420),
            rng.randint(280, 900),
        )
        for i in range(days)
    )
    checkpoint = PlannedRecord(
        Checkpoint,
        "ca.son-kim-1.canbo",
        "Chốt kiểm soát phòng, chống dịch COVID-19 tại Cửa khẩu Quốc tế Cầu Treo",
        CHECKPOINT_START,
        CHECKPOINT_END,
        (("purpose", "epidemic"),),
        (("ca.son-kim-1", 8, 1, 0), ("bp.cau-treo", 6, 1, 0), ("qs.son-kim-1", 4, 0, 0)),
        ("son-kim-1",),
        "Quốc lộ 8A, khu vực Cửa khẩu Quốc tế Cầu Treo",
        "Kiểm soát chặt người, phương tiện qua lại; phát hiện 03 trường hợp nghi nhiễm.",
        counts=counts,
        quarter="2021",
    )
    zones = [
        PlannedRecord(
            ProtectedZone,
            "qs.tinh.chihuy",
            "Khu cách ly tập trung tại Trường Quân sự tỉnh",
            D(2021, 7, 20),
            D(2021, 10, 15),
            (("zone_kind", "quarantine"), ("people", 450)),
            (("qs.tinh", 30, 3, 0), ("ca.tinh", 10, 1, 0)),
            (),
            "Trường Quân sự tỉnh Hà Tĩnh",
            quarter="2021",
        ),
        PlannedRecord(
            ProtectedZone,
            "ca.son-kim-1.canbo",
            "Phong tỏa tạm thời khu dân cư Cửa khẩu Quốc tế Cầu Treo",
            D(2021, 8, 5),
            D(2021, 8, 26),
            (("zone_kind", "lockdown"), ("people", 1200)),
            (("ca.son-kim-1", 10, 1, 0), ("bp.cau-treo", 12, 1, 0), ("qs.son-kim-1", 8, 0, 0)),
            ("son-kim-1",),
            "Khu dân cư Cửa khẩu Quốc tế Cầu Treo",
            quarter="2021",
        ),
        PlannedRecord(
            ProtectedZone,
            "qs.tinh.chihuy",
            "Cơ sở thu dung, điều trị COVID-19 số 1 của tỉnh",
            D(2021, 8, 10),
            D(2021, 11, 30),
            (("zone_kind", "treatment"), ("people", 180)),
            (("qs.tinh", 20, 2, 0), ("ca.tinh", 6, 1, 0)),
            (),
            "Cơ sở thu dung, điều trị COVID-19 số 1",
            quarter="2021",
        ),
        PlannedRecord(
            ProtectedZone,
            "ca.tinh.chihuy",
            "Bảo vệ mục tiêu: kho bảo quản vắc xin phòng COVID-19 của tỉnh",
            D(2021, 7, 1),
            D(2021, 12, 31),
            (("zone_kind", "key_target"),),
            (("ca.tinh", 12, 1, 0), ("qs.tinh", 6, 0, 0)),
            ("thanh-sen",),
            "Kho vắc xin, Trung tâm Kiểm soát bệnh tật tỉnh",
            quarter="2021",
        ),
    ]
    return [checkpoint, *zones]


def plan() -> list[PlannedRecord]:
    """Every record of the demo, oldest first."""
    records: list[PlannedRecord] = []
    for quarter in QUARTERS:
        records += _delegations(quarter) + _events(quarter)
    records += _patrols() + _rescues() + _exercises() + _covid()
    return sorted(records, key=lambda r: (r.start, r.model.__name__, r.title))


# --- the step -----------------------------------------------------------------------------

_CREATE: dict[type[OperationRecord], Callable[..., Any]] = {
    Protection: services.protection_create,
    Checkpoint: services.checkpoint_create,
    ProtectedZone: services.zone_create,
    Patrol: services.patrol_create,
    Rescue: services.rescue_create,
    Exercise: services.exercise_create,
}
_COUNT_NAMES = {
    Protection: "protections",
    Checkpoint: "checkpoints",
    ProtectedZone: "protected_zones",
    Patrol: "patrols",
    Rescue: "rescues",
    Exercise: "exercises",
}


@dataclass
class _Existing:
    keys: set[tuple[str, int, str, dt.date]] = field(default_factory=set)

    def load(self, models: Sequence[type[OperationRecord]]) -> None:
        for model in models:
            for owner, title, start in model.all_objects.values_list(
                "owner_unit_id", "title", "start_date"
            ):
                self.keys.add((model.__name__, owner, title, start))


def needed_keys() -> tuple[set[str], set[str]]:
    """The unit keys and usernames the plan names."""
    records = plan()
    units = {part[0] for r in records for part in r.units} | {r.lead for r in records if r.lead}
    return {u for u in units if u}, {r.username for r in records}


def build_operations(ctx: DemoContext) -> None:
    """Record the demo province's joint operations (a cut-down scenario gets none)."""
    unit_keys, usernames = needed_keys()
    if (
        ctx.scenario.province_code != PROVINCE_CODE
        or not unit_keys <= set(ctx.units)
        or not usernames <= set(ctx.users)
        or not {"son-kim-1", "thanh-sen"} <= set(ctx.communes)
    ):
        return
    existing = _Existing()
    existing.load(list(_CREATE))
    for planned in plan():
        actor = ctx.users[planned.username]
        owner = ctx.units[planned.lead] if planned.lead else actor.unit
        assert owner is not None
        key = (planned.model.__name__, owner.pk, planned.title, planned.start)
        if key in existing.keys:
            record: Any = None
            if planned.counts:
                record = Checkpoint.all_objects.get(
                    owner_unit=owner, title=planned.title, start_date=planned.start
                )
        else:
            record = _CREATE[planned.model](
                actor=actor,
                title=planned.title,
                start_date=planned.start,
                end_date=planned.end,
                place=planned.place,
                outcome=planned.outcome,
                communes=[ctx.communes[c] for c in planned.communes],
                units=[
                    UnitPart(ctx.units[unit], personnel, vehicles, vessels)
                    for unit, personnel, vehicles, vessels in planned.units
                ],
                lead_unit=ctx.units[planned.lead] if planned.lead else None,
                is_joint=True,
                **dict(planned.fields),
            )
            existing.keys.add(key)
            ctx.counts[_COUNT_NAMES[planned.model]] += 1
        if planned.counts and record is not None:
            _count_days(ctx, record, planned)


def _count_days(ctx: DemoContext, checkpoint: Checkpoint, planned: PlannedRecord) -> None:
    done = set(
        CheckpointCount.all_objects.filter(checkpoint=checkpoint).values_list("day", flat=True)
    )
    actor = ctx.users[planned.username]
    for day, vehicles, people in planned.counts:
        if day in done:
            continue
        services.checkpoint_count_add(
            actor=actor, checkpoint=checkpoint, day=day, vehicles=vehicles, people=people
        )
        ctx.counts["checkpoint_counts"] += 1
