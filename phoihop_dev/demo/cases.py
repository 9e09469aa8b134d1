"""Demo step: the case registry of the demo province — cases with their subjects and seized
goods, and wanted persons — for quý III/2023, quý II/2024 and quý III/2024.

The figures of each quarter are written once, in `QUARTERS` (cases, persons, organisations,
cases at sea, and each seized total with the number of seizures it came from); everything else is
drawn by `plan` with `random.Random(quarter.seed)`, a pure function of the scenario: the same data
always gives the same plan. Totals are split exactly (`split`: whole steps of 0,01 gam, 0,1 kg,
0,001 m3…), so the quarter adds up to its figures whatever the draw. `build_cases` then records
the plan through the case services as the users of the scenario: `case_create` with subjects and
seized items, then `case_start_verification` / `case_handle` / `case_transfer` / `case_close` with
`at=…` in the past, and `wanted_create` / `wanted_arrest`. Audit entries carry the time of loading.

Quarters are the reporting windows of Nghị định 09/2019/NĐ-CP, taken from the exchange data.
The 2024-Q3 figures are those of the reference report ("200 vụ/226 đối tượng và 01 tổ chức, …");
the earlier quarters are there to compare with (a few more cases at sea in 2023-Q3: the weakness
the conferences name). Every case is joint (joint staff compile the report from what they see) and
ordinary (Thường). Units are those that existed at the time and still do (district police and
military commands have ended, the 2025 communes' units came later), so provincial departments and
the Sơn Kim communes lead the police and military cases. People, companies and cases are fictitious;
citizen IDs are well formed (old province code, century-and-sex digit, birth year) but invented.

Idempotent: a case is recognised by its lead unit and detection time, a wanted person by notice
number and issuing authority; what exists is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from phoihop.cases import services
from phoihop.cases.enums import (
    CaseCategory,
    CaseDomain,
    CaseOutcome,
    Sex,
    SubjectKind,
    SubjectResult,
    SubjectRole,
)
from phoihop.cases.models import Case, WantedPerson
from phoihop.cases.reference import CATALOGUE
from phoihop.core import formats, identifiers
from phoihop.org.models import User
from phoihop_dev.chance import moment_in, pick
from phoihop_dev.demo.data import ha_tinh_exchange as exchange_data
from phoihop_dev.demo.exchange import PROVINCE_CODE
from phoihop_dev.demo.exchange import Planner as ExchangePlanner
from phoihop_dev.demo.scenario import Scenario, UnitSpec
from phoihop_dev.people import person_name

if TYPE_CHECKING:
    from phoihop.cases.models import Case as CaseModel
    from phoihop_dev.demo.builder import DemoContext


# --- the figures of each quarter ------------------------------------------------------------


@dataclass(frozen=True)
class CaseQuarter:
    key: str  # a quarter of `ha_tinh_exchange.QUARTERS`: its reporting window
    seed: int
    cases: int
    persons: int  # offenders (suspects, arrested), counted as the selectors count them
    organisations: int
    at_sea: int
    # (catalogue code, total in its canonical unit, number of seizures it is split over)
    seized: tuple[tuple[str, str, int], ...]
    # Weights of the categories of cases on land (at sea: `SEA_CATEGORIES`).
    categories: tuple[tuple[str, int], ...]
    still_verifying: float  # share of cases still being verified today
    closed: float  # share of handled or transferred cases since closed

    @property
    def window(self) -> exchange_data.Quarter:
        return next(q for q in exchange_data.QUARTERS if q.key == self.key)


QUARTERS = (
    CaseQuarter(
        "2023-q3", seed=42233, cases=176, persons=203, organisations=2, at_sea=9,
        seized=(
            ("heroin", "6.27", 6), ("ma-tuy-da", "4.12", 5), ("thuoc-phien", "25", 2),
            ("ma-tuy-tong-hop", "2046", 9), ("phao-no", "58.6", 7), ("thuoc-no", "36", 2),
            ("day-chay-cham", "4", 2), ("kip-no", "35", 2), ("go", "12.845", 9),
            ("thuoc-la", "2400", 4), ("xang-dau", "3500", 1), ("dong-vat-hoang-da", "18.5", 1),
            ("dao-kiem", "6", 2),
        ),
        categories=(
            ("drugs", 16), ("smuggling", 17), ("weapons", 11), ("forest", 12),
            ("administrative", 29), ("migration", 6), ("other_criminal", 5), ("trafficking", 2),
        ),
        still_verifying=0.01, closed=0.75,
    ),
    CaseQuarter(
        "2024-q2", seed=42242, cases=187, persons=212, organisations=0, at_sea=7,
        seized=(
            ("heroin", "8.64", 7), ("ma-tuy-da", "2.3", 5), ("can-sa", "350", 1),
            ("ma-tuy-tong-hop", "912", 6), ("phao-no", "31.5", 5), ("thuoc-no", "12", 2),
            ("day-chay-cham", "1.5", 1), ("kip-no", "18", 2), ("go", "22.318", 12),
            ("thuoc-la", "1350", 3), ("sung", "2", 2),
        ),
        categories=(
            ("drugs", 18), ("smuggling", 15), ("weapons", 8), ("forest", 15),
            ("administrative", 30), ("migration", 6), ("other_criminal", 4), ("trafficking", 2),
        ),
        still_verifying=0.03, closed=0.6,
    ),
    CaseQuarter(
        "2024-q3", seed=42243, cases=200, persons=226, organisations=1, at_sea=5,
        seized=(
            ("heroin", "11.09", 9), ("ma-tuy-da", "1.55", 4), ("thuoc-phien", "10", 2),
            ("ma-tuy-tong-hop", "1508", 8), ("phao-no", "94.2", 9), ("thuoc-no", "48", 3),
            ("day-chay-cham", "2.5", 2), ("kip-no", "50", 3), ("go", "16.476", 11),
        ),
        categories=(
            ("drugs", 19), ("smuggling", 14), ("weapons", 13), ("forest", 13),
            ("administrative", 30), ("migration", 4), ("other_criminal", 4), ("trafficking", 1),
        ),
        still_verifying=0.05, closed=0.45,
    ),
)  # fmt: skip

SEA_CATEGORIES = (
    ("iuu", 5), ("smuggling", 2), ("administrative", 2), ("drugs", 1), ("weapons", 1),
    ("migration", 1),
)  # fmt: skip


@dataclass(frozen=True)
class WantedSpec:
    """A wanted notice (the people are fictitious) and, if caught, in which quarter and how."""

    notice_number: str
    notice_date: dt.date
    issuing_authority: str
    owner: str  # unit key recording the notice
    full_name: str
    birth_year: int
    sex: str
    citizen_id: str
    address: str
    offence: str
    caught_in: str = ""  # quarter key
    surrendered: bool = False


_CSDT_HT = "Cơ quan Cảnh sát điều tra Công an tỉnh Hà Tĩnh"

WANTED = (
    WantedSpec(
        "12/QĐ-CSĐT", dt.date(2021, 9, 14), _CSDT_HT, "ca.pc04", "Trần Văn Lợi", 1985, Sex.MALE,
        "042085017364", "xã Sơn Tây, huyện Hương Sơn, tỉnh Hà Tĩnh",
        "Vận chuyển trái phép chất ma túy (Điều 250 Bộ luật Hình sự)", caught_in="2023-q3",
    ),
    WantedSpec(
        "27/QĐ-CSĐT", dt.date(2022, 5, 20), "Cơ quan Cảnh sát điều tra Công an tỉnh Nghệ An",
        "ca.pc02", "Phan Đình Quý", 1979, Sex.MALE, "040079203518",
        "huyện Nghi Lộc, tỉnh Nghệ An",
        "Lừa đảo chiếm đoạt tài sản (Điều 174 Bộ luật Hình sự)", caught_in="2023-q3",
    ),
    WantedSpec(
        "03/QĐ-CSĐT", dt.date(2023, 2, 10), "Cơ quan Cảnh sát điều tra Công an huyện Kỳ Anh",
        "ca.pc02", "Đặng Văn Thịnh", 1994, Sex.MALE, "042094008152",
        "xã Kỳ Khang, huyện Kỳ Anh, tỉnh Hà Tĩnh",
        "Cố ý gây thương tích (Điều 134 Bộ luật Hình sự)", caught_in="2023-q3", surrendered=True,
    ),
    WantedSpec(
        "41/QĐ-CSĐT", dt.date(2022, 12, 5), _CSDT_HT, "ca.pc02", "Võ Thị Hằng", 1990, Sex.FEMALE,
        "042190011473", "xã Phúc Trạch, huyện Hương Khê, tỉnh Hà Tĩnh",
        "Mua bán người (Điều 150 Bộ luật Hình sự)", caught_in="2024-q2",
    ),
    WantedSpec(
        "18/QĐ-CSĐT", dt.date(2023, 8, 21), "Cơ quan Cảnh sát điều tra Công an tỉnh Quảng Bình",
        "ca.pc02", "Hồ Văn Cường", 1983, Sex.MALE, "044083106927",
        "thị xã Ba Đồn, tỉnh Quảng Bình",
        "Trộm cắp tài sản (Điều 173 Bộ luật Hình sự)", caught_in="2024-q2",
    ),
    WantedSpec(
        "55/QĐ-CSĐT", dt.date(2023, 11, 17), _CSDT_HT, "ca.pc04", "Nguyễn Đình Khánh", 1992,
        Sex.MALE, "042092004816", "xã Sơn Kim 1, huyện Hương Sơn, tỉnh Hà Tĩnh",
        "Mua bán trái phép chất ma túy (Điều 251 Bộ luật Hình sự)", caught_in="2024-q3",
    ),
    WantedSpec(
        "09/QĐ-CSĐT", dt.date(2023, 4, 12), _CSDT_HT, "ca.pc04", "Lê Văn Tuấn", 1987, Sex.MALE,
        "042087012295", "xã Sơn Hồng, huyện Hương Sơn, tỉnh Hà Tĩnh",
        "Vận chuyển trái phép chất ma túy (Điều 250 Bộ luật Hình sự)",
    ),
    WantedSpec(
        "02/QĐ-CSĐT", dt.date(2024, 1, 8), _CSDT_HT, "ca.pc02", "Bùi Văn Dũng", 1996, Sex.MALE,
        "042096007731", "xã Hương Lâm, huyện Hương Khê, tỉnh Hà Tĩnh",
        "Tổ chức cho người khác xuất cảnh trái phép (Điều 348 Bộ luật Hình sự)",
    ),
    WantedSpec(
        "23/QĐ-CSĐT", dt.date(2024, 5, 27), _CSDT_HT, "ca.pc02", "Trần Thị Lan Anh", 1998,
        Sex.FEMALE, "042198015504", "phường Trần Phú, thành phố Hà Tĩnh, tỉnh Hà Tĩnh",
        "Lừa đảo chiếm đoạt tài sản (Điều 174 Bộ luật Hình sự)",
    ),
    WantedSpec(
        "31/QĐ-CSĐT", dt.date(2024, 8, 2), "Cơ quan Cảnh sát điều tra Công an tỉnh Nghệ An",
        "ca.pc02", "Đậu Văn Sơn", 1981, Sex.MALE, "040081019466", "thành phố Vinh, tỉnh Nghệ An",
        "Cướp tài sản (Điều 168 Bộ luật Hình sự)",
    ),
    WantedSpec(
        "47/QĐ-CSĐT", dt.date(2024, 9, 30), _CSDT_HT, "ca.pc02", "Phạm Quốc Huy", 2001, Sex.MALE,
        "042201003387", "phường Kỳ Trinh, thị xã Kỳ Anh, tỉnh Hà Tĩnh",
        "Cố ý gây thương tích (Điều 134 Bộ luật Hình sự)",
    ),
)  # fmt: skip

# --- who leads, where -----------------------------------------------------------------------

# Weight of each force as lead, by category.
LEAD_FORCE: dict[str, tuple[tuple[str, int], ...]] = {
    "drugs": (("CA", 6), ("BP", 4)),
    "smuggling": (("BP", 6), ("CA", 4), ("QS", 1)),
    "weapons": (("CA", 5), ("QS", 3), ("BP", 2)),
    "forest": (("BP", 5), ("CA", 3), ("QS", 2)),
    "administrative": (("CA", 5), ("BP", 5), ("QS", 1)),
    "migration": (("BP", 6), ("CA", 4)),
    "iuu": (("BP", 9), ("CA", 1)),
    "other_criminal": (("CA", 9), ("BP", 1)),
    "trafficking": (("CA", 6), ("BP", 4)),
}
# How the cases of a category fall on the kinds of commune (border, coast, inland).
KIND_WEIGHT: dict[str, dict[str, float]] = {
    "drugs": {"border": 3, "coast": 2, "inland": 3},
    "smuggling": {"border": 3, "coast": 2, "inland": 1},
    "weapons": {"border": 2, "coast": 2, "inland": 2},
    "forest": {"border": 5, "coast": 1, "inland": 0.5},
    "administrative": {"border": 3, "coast": 2, "inland": 2},
    "migration": {"border": 6, "coast": 1, "inland": 1},
    "iuu": {"border": 0, "coast": 1, "inland": 0},
    "other_criminal": {"border": 1, "coast": 1, "inland": 3},
    "trafficking": {"border": 4, "coast": 1, "inland": 1},
}
# The provincial police units that lead a category when no commune police existed (district
# police have since ended), with their shares.
POLICE_DEPARTMENT: dict[str, tuple[tuple[str, float], ...]] = {
    "drugs": (("ca.pc04", 1),),
    "migration": (("ca.pa08", 1),),
    "trafficking": (("ca.pc02", 1),),
    "other_criminal": (("ca.pc02", 1),),
    "weapons": (("ca.pc02", 1),),
    "administrative": (("ca.pc02", 0.5), ("ca.tinh", 0.5)),
}
PROVINCIAL = {"CA": "ca.tinh", "QS": "qs.tham-muu", "BP": "bp.tinh"}
# Categories a commune police or military command leads itself.
LOCAL_CATEGORIES = {
    "CA": ("administrative", "drugs", "other_criminal", "weapons", "forest"),
    "QS": ("forest", "administrative", "smuggling", "weapons"),
}
FORCES = ("CA", "QS", "BP")

# --- seized goods ---------------------------------------------------------------------------

# The step a total is split in (a seizure is a whole number of steps).
SPLIT_STEP = {
    "heroin": "0.01",
    "ma-tuy-da": "0.01",
    "thuoc-phien": "0.5",
    "can-sa": "1",
    "ma-tuy-tong-hop": "1",
    "phao-no": "0.1",
    "thuoc-no": "0.5",
    "day-chay-cham": "0.1",
    "kip-no": "1",
    "go": "0.001",
    "thuoc-la": "10",
    "xang-dau": "10",
    "dong-vat-hoang-da": "0.1",
    "dao-kiem": "1",
    "sung": "1",
}
# Other units an officer may have typed (the catalogue's allowed units).
OTHER_UNITS = {
    "heroin": ("kg",),
    "ma-tuy-da": ("mg",),
    "thuoc-phien": ("kg",),
    "can-sa": ("kg",),
    "phao-no": ("gam",),
    "thuoc-no": ("gam",),
    "day-chay-cham": ("cm",),
    "xang-dau": ("m3",),
    "dong-vat-hoang-da": ("gam",),
}
# Categories of the cases an item may be seized in.
ITEM_CATEGORIES = {
    "heroin": ("drugs",),
    "ma-tuy-da": ("drugs",),
    "thuoc-phien": ("drugs",),
    "can-sa": ("drugs",),
    "ma-tuy-tong-hop": ("drugs",),
    "phao-no": ("weapons",),
    "thuoc-no": ("weapons", "iuu"),
    "day-chay-cham": ("weapons", "iuu"),
    "kip-no": ("weapons", "iuu"),
    "go": ("forest",),
    "thuoc-la": ("smuggling",),
    "xang-dau": ("smuggling",),
    "dong-vat-hoang-da": ("forest", "smuggling"),
    "dao-kiem": ("weapons", "other_criminal"),
    "sung": ("weapons",),
}
ON_LAND_ONLY = ("phao-no", "go", "thuoc-la", "dong-vat-hoang-da", "dao-kiem", "sung", "can-sa")
# Detonators and fuse go with the explosive, fuel with the sea.
SEIZED_WITH = {"kip-no": "thuoc-no", "day-chay-cham": "thuoc-no"}
PREFER_SEA = ("xang-dau",)
# Criminal thresholds (in the canonical unit) above which a seizure is prosecuted.
CRIMINAL_FROM = {
    "heroin": Decimal("0.1"),
    "ma-tuy-da": Decimal("0.1"),
    "thuoc-phien": Decimal("5"),
    "can-sa": Decimal("500"),
    "ma-tuy-tong-hop": Decimal("20"),
    "phao-no": Decimal("6"),
    "thuoc-no": Decimal("1"),
    "sung": Decimal("1"),
}
_ITEMS = {code: (name, phrase) for code, name, _c, _u, _o, phrase in CATALOGUE}
_CANONICAL = {code: unit for code, _n, _c, unit, _o, _p in CATALOGUE}

# --- outcomes -------------------------------------------------------------------------------

# Weights of the outcomes of a case by category, when no seizure decides it.
OUTCOMES: dict[str, tuple[tuple[str, int], ...]] = {
    "drugs": (("prosecution", 35), ("administrative", 55), ("transfer", 10)),
    "smuggling": (("administrative", 60), ("prosecution", 15), ("transfer", 25)),
    "weapons": (("administrative", 70), ("prosecution", 20), ("transfer", 10)),
    "forest": (("administrative", 55), ("transfer", 35), ("prosecution", 10)),
    "administrative": (("administrative", 93), ("no_violation", 4), ("transfer", 3)),
    "migration": (
        ("administrative", 55), ("prosecution", 15), ("transfer", 20), ("no_violation", 10),
    ),
    "iuu": (("administrative", 80), ("transfer", 20)),
    "other_criminal": (("prosecution", 65), ("transfer", 25), ("administrative", 10)),
    "trafficking": (("prosecution", 75), ("transfer", 25)),
}  # fmt: skip
# Fines (VND): the range by category; organisations pay twice what persons pay.
FINES = {
    "drugs": (1_000_000, 2_000_000),
    "smuggling": (3_000_000, 40_000_000),
    "weapons": (1_000_000, 15_000_000),
    "forest": (5_000_000, 60_000_000),
    "administrative": (500_000, 7_500_000),
    "migration": (2_000_000, 10_000_000),
    "iuu": (10_000_000, 150_000_000),
    "other_criminal": (5_000_000, 8_000_000),
    "trafficking": (5_000_000, 10_000_000),
}
# The district (before 2025) a commune belonged to: where cases were handed over.
DISTRICT = {
    "huong-son": "huyện Hương Sơn",
    "son-kim-1": "huyện Hương Sơn",
    "son-kim-2": "huyện Hương Sơn",
    "son-hong": "huyện Hương Sơn",
    "vu-quang": "huyện Vũ Quang",
    "huong-xuan": "huyện Hương Khê",
    "phuc-trach": "huyện Hương Khê",
    "thanh-sen": "thành phố Hà Tĩnh",
    "tran-phu": "thành phố Hà Tĩnh",
    "dan-hai": "huyện Nghi Xuân",
    "loc-ha": "huyện Lộc Hà",
    "thien-cam": "huyện Cẩm Xuyên",
    "ky-khang": "huyện Kỳ Anh",
    "vung-ang": "thị xã Kỳ Anh",
    "hoanh-son": "thị xã Kỳ Anh",
}
NOTES = {
    "verify": (
        "Tiến hành xác minh, làm rõ.",
        "Lập biên bản, tạm giữ tang vật; tiến hành xác minh.",
        "Lấy lời khai, xác minh nhân thân đối tượng.",
    ),
    "prosecution": (
        "Ra quyết định khởi tố vụ án, khởi tố bị can.",
        "Khởi tố vụ án hình sự; tiếp tục điều tra theo quy định.",
    ),
    "administrative": (
        "Ra quyết định xử phạt vi phạm hành chính.",
        "Xử phạt vi phạm hành chính, tịch thu tang vật theo quy định.",
    ),
    "no_violation": ("Qua xác minh, không có dấu hiệu vi phạm.",),
    "transfer": (
        "Bàn giao hồ sơ, đối tượng và tang vật để xử lý theo thẩm quyền.",
        "Chuyển hồ sơ vụ việc đến cơ quan có thẩm quyền.",
    ),
    "close": ("Hoàn tất hồ sơ, kết thúc vụ việc.", "Kết thúc vụ việc, lưu hồ sơ."),
    "ownerless": (
        "Tang vật vô chủ đã tịch thu, xử lý theo quy định; kết thúc vụ việc.",
        "Không xác định được chủ sở hữu tang vật; tịch thu, kết thúc vụ việc.",
    ),
}

# --- titles ---------------------------------------------------------------------------------

_LAND = "border coast inland"
# (kinds where the title fits — "sea" for cases at sea —, template, victims it implies)
# {locality}, {crossing}, {sea} come from the exchange places; {n} counts the offenders; {nat}.
TITLES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "drugs": (
        (_LAND, "Sử dụng trái phép chất ma túy tại {locality}", 0),
        (_LAND, "Tổ chức sử dụng trái phép chất ma túy tại {locality}", 0),
        (_LAND, "Phát hiện {n} đối tượng dương tính với ma túy tại {locality}", 0),
        ("sea", "Thuyền viên tàu cá sử dụng trái phép chất ma túy tại {sea}", 0),
    ),
    "smuggling": (
        ("border", "Vận chuyển hàng hóa nhập lậu từ Lào qua {crossing}", 0),
        ("border coast", "Vận chuyển hàng hóa không rõ nguồn gốc xuất xứ qua {crossing}", 0),
        (_LAND, "Kinh doanh hàng hóa không có hóa đơn, chứng từ tại {locality}", 0),
        (_LAND, "Buôn bán hàng giả mạo nhãn hiệu tại {locality}", 0),
        ("sea", "Tàu cá vận chuyển hàng hóa không rõ nguồn gốc tại {sea}", 0),
    ),
    "weapons": (
        (_LAND, "Sử dụng pháo nổ trái phép trong đám cưới tại {locality}", 0),
        (_LAND, "Rao bán pháo nổ trên mạng xã hội tại {locality}", 0),
        (_LAND, "Tàng trữ công cụ hỗ trợ không có giấy phép tại {locality}", 0),
        ("sea", "Tàu cá mang theo vật liệu nổ trái phép tại {sea}", 0),
    ),
    "forest": (
        ("border inland", "Phá rừng trái phép tại {locality}", 0),
        (_LAND, "Lấn chiếm đất rừng phòng hộ tại {locality}", 0),
        ("border", "Vào rừng đặc dụng không được phép tại {locality}", 0),
        (_LAND, "Đốt nương làm rẫy gây cháy rừng tại {locality}", 0),
    ),
    "administrative": (
        ("border", "Vào khu vực biên giới không có giấy phép tại {crossing}", 0),
        ("border", "Vi phạm quy chế khu vực biên giới tại {locality}", 0),
        ("border", "Qua lại biên giới không làm thủ tục tại {crossing}", 0),
        (_LAND, "Gây rối trật tự công cộng tại {locality}", 0),
        (_LAND, "Đánh bạc trái phép tại {locality}", 0),
        (_LAND, "Không khai báo tạm trú cho người nước ngoài ({nat}) tại {locality}", 0),
        (_LAND, "Vi phạm quy định về cư trú tại {locality}", 0),
        ("coast", "Tàu cá ra vào cửa biển không làm thủ tục tại {crossing}", 0),
        ("sea", "Tàu cá không mang theo giấy tờ theo quy định tại {sea}", 0),
        ("sea", "Thuyền trưởng không có văn bằng, chứng chỉ chuyên môn tại {sea}", 0),
    ),
    "migration": (
        ("border", "Xuất cảnh trái phép sang Lào qua {crossing}", 0),
        ("border", "Phát hiện {n} công dân xuất cảnh trái phép qua {crossing}", 0),
        ("border", "Người nước ngoài ({nat}) nhập cảnh trái phép qua {crossing}", 0),
        (_LAND, "Môi giới đưa người đi lao động nước ngoài trái phép tại {locality}", 0),
        ("sea", "Đưa người xuất cảnh trái phép bằng tàu cá tại {sea}", 0),
    ),
    "iuu": (
        ("sea", "Tàu cá không duy trì thiết bị giám sát hành trình tại {sea}", 0),
        ("sea", "Tàu cá khai thác sai vùng, sai tuyến tại {sea}", 0),
        ("sea", "Sử dụng xung điện khai thác thủy sản tại {sea}", 0),
        ("sea", "Tàu cá không có giấy phép khai thác thủy sản tại {sea}", 0),
    ),
    "other_criminal": (
        (_LAND, "Trộm cắp tài sản tại {locality}", 1),
        (_LAND, "Cố ý gây thương tích tại {locality}", 1),
        (_LAND, "Đánh bạc tại {locality}", 0),
        (_LAND, "Lừa đảo chiếm đoạt tài sản qua mạng xã hội tại {locality}", 1),
        (_LAND, "Cho vay lãi nặng trong giao dịch dân sự tại {locality}", 2),
    ),
    "trafficking": (
        ("border", "Mua bán người qua biên giới tại {crossing}", 2),
        (_LAND, "Dụ dỗ phụ nữ sang Lào lao động có dấu hiệu mua bán người tại {locality}", 2),
    ),
}
# Titles of cases named by the main item seized.
SEIZURE_TITLES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "heroin": (
        (_LAND, "Mua bán trái phép chất ma túy (heroin) tại {locality}", 0),
        ("border", "Vận chuyển trái phép heroin qua {crossing}", 0),
        (_LAND, "Tàng trữ trái phép chất ma túy (heroin) tại {locality}", 0),
        ("sea", "Vận chuyển trái phép heroin trên tàu cá tại {sea}", 0),
    ),
    "ma-tuy-da": (
        (_LAND, "Tàng trữ trái phép chất ma túy (ma túy đá) tại {locality}", 0),
        (_LAND, "Mua bán trái phép ma túy đá tại {locality}", 0),
        ("sea", "Tàng trữ trái phép ma túy đá trên tàu cá tại {sea}", 0),
    ),
    "thuoc-phien": ((_LAND, "Tàng trữ trái phép thuốc phiện tại {locality}", 0),),
    "can-sa": ((_LAND, "Trồng, tàng trữ trái phép cần sa tại {locality}", 0),),
    "ma-tuy-tong-hop": (
        ("border", "Vận chuyển trái phép ma túy tổng hợp qua {crossing}", 0),
        (_LAND, "Mua bán trái phép ma túy tổng hợp tại {locality}", 0),
        ("sea", "Vận chuyển ma túy tổng hợp bằng tàu cá tại {sea}", 0),
    ),
    "phao-no": (
        (_LAND, "Tàng trữ, vận chuyển trái phép pháo nổ tại {locality}", 0),
        (_LAND, "Buôn bán pháo nổ qua mạng xã hội tại {locality}", 0),
        ("border", "Vận chuyển pháo nổ từ Lào về qua {crossing}", 0),
    ),
    "thuoc-no": (
        (_LAND, "Tàng trữ trái phép vật liệu nổ tại {locality}", 0),
        (_LAND, "Mua bán trái phép vật liệu nổ công nghiệp tại {locality}", 0),
        ("sea", "Sử dụng chất nổ khai thác thủy sản tại {sea}", 0),
    ),
    "go": (
        (_LAND, "Vận chuyển gỗ không rõ nguồn gốc tại {locality}", 0),
        ("border inland", "Khai thác gỗ trái phép tại {locality}", 0),
        (_LAND, "Cất giữ gỗ không có hồ sơ hợp pháp tại {locality}", 0),
    ),
    "thuoc-la": (
        ("border", "Vận chuyển thuốc lá điếu nhập lậu qua {crossing}", 0),
        (_LAND, "Tàng trữ thuốc lá điếu nhập lậu để bán tại {locality}", 0),
    ),
    "xang-dau": (
        ("sea", "Tàu cá chở xăng dầu không rõ nguồn gốc tại {sea}", 0),
        (_LAND, "Kinh doanh xăng dầu không rõ nguồn gốc tại {locality}", 0),
    ),
    "dong-vat-hoang-da": (
        ("border", "Vận chuyển động vật hoang dã trái phép qua {crossing}", 0),
        (_LAND, "Nuôi nhốt, buôn bán động vật hoang dã trái phép tại {locality}", 0),
    ),
    "dao-kiem": ((_LAND, "Mang theo dao, kiếm gây rối trật tự công cộng tại {locality}", 1),),
    "sung": ((_LAND, "Tàng trữ trái phép vũ khí quân dụng tại {locality}", 0),),
}
SEIZURE_TITLES["kip-no"] = SEIZURE_TITLES["day-chay-cham"] = SEIZURE_TITLES["thuoc-no"]
WANTED_TITLES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "migration": (
        ("border", "Bắt đối tượng truy nã khi đang tìm cách xuất cảnh trái phép qua {crossing}", 0),
    ),
    "drugs": ((_LAND, "Bắt đối tượng truy nã tàng trữ trái phép chất ma túy tại {locality}", 0),),
    "other_criminal": ((_LAND, "Bắt đối tượng truy nã đang lẩn trốn tại {locality}", 0),),
}

# --- people ---------------------------------------------------------------------------------

LAO_NAMES = {
    Sex.MALE: (
        "Khamphone Sivilay", "Bounmy Phommachanh", "Souksavanh Inthavong",
        "Thongchanh Keovongsa", "Somchit Sengmany", "Khamsing Vongsa", "Bounthanh Sisomphone",
        "Phonesavanh Keomany", "Vanthong Phimmasone",
    ),
    Sex.FEMALE: (
        "Noy Phimmasone", "Vilayvanh Khounsavath", "Phetsamone Vongphachanh",
        "Manivone Sengdara", "Chanthaly Inthalath",
    ),
}  # fmt: skip
LAO_ADDRESSES = (
    "bản Nặm Phao, huyện Khăm Cợt, tỉnh Bôlykhămxay, Lào",
    "bản Lắc Xao, huyện Khăm Cợt, tỉnh Bôlykhămxay, Lào",
    "bản Na Pê, huyện Khăm Cợt, tỉnh Bôlykhămxay, Lào",
    "huyện Viêng Thoong, tỉnh Bôlykhămxay, Lào",
    "huyện Nhômmalạt, tỉnh Khăm Muồn, Lào",
)
# Where the case's people live: old (pre-2025) communes near each 2025 commune.
HOME_COMMUNES: dict[str, tuple[str, ...]] = {
    "huong-son": ("thị trấn Tây Sơn, huyện Hương Sơn", "xã Sơn Tây, huyện Hương Sơn"),
    "son-kim-1": ("xã Sơn Kim 1, huyện Hương Sơn",),
    "son-kim-2": ("xã Sơn Kim 2, huyện Hương Sơn",),
    "son-hong": ("xã Sơn Hồng, huyện Hương Sơn", "xã Sơn Lĩnh, huyện Hương Sơn"),
    "vu-quang": ("xã Hương Quang, huyện Vũ Quang", "thị trấn Vũ Quang, huyện Vũ Quang"),
    "huong-xuan": ("xã Hương Lâm, huyện Hương Khê", "xã Hương Liên, huyện Hương Khê"),
    "phuc-trach": ("xã Phúc Trạch, huyện Hương Khê", "xã Hương Trạch, huyện Hương Khê"),
    "thanh-sen": ("phường Nguyễn Du, thành phố Hà Tĩnh", "phường Bắc Hà, thành phố Hà Tĩnh"),
    "tran-phu": ("phường Trần Phú, thành phố Hà Tĩnh", "phường Hà Huy Tập, thành phố Hà Tĩnh"),
    "dan-hai": ("xã Xuân Hội, huyện Nghi Xuân", "xã Đan Trường, huyện Nghi Xuân"),
    "loc-ha": ("xã Thạch Kim, huyện Lộc Hà", "xã Thạch Bằng, huyện Lộc Hà"),
    "thien-cam": ("thị trấn Thiên Cầm, huyện Cẩm Xuyên", "xã Cẩm Nhượng, huyện Cẩm Xuyên"),
    "ky-khang": ("xã Kỳ Khang, huyện Kỳ Anh", "xã Kỳ Xuân, huyện Kỳ Anh"),
    "vung-ang": ("phường Kỳ Trinh, thị xã Kỳ Anh", "phường Kỳ Thịnh, thị xã Kỳ Anh"),
    "hoanh-son": ("phường Kỳ Nam, thị xã Kỳ Anh", "xã Kỳ Lợi, thị xã Kỳ Anh"),
}
VILLAGES = (
    "Tân Hương", "Trung Hà", "Bình Minh", "Hải Thanh", "Nam Sơn", "Bắc Sơn", "Tiến Thành",
    "Hòa Bình", "Khe Cò", "Đông Tây", "Quyết Tiến", "Tân Phú", "Hồng Lạc", "Thượng Kim",
)  # fmt: skip
# (old province code, where people from there live, weight): most are from Hà Tĩnh.
ORIGINS = (
    ("042", "", 80),
    ("040", "huyện Nghi Lộc, tỉnh Nghệ An", 4),
    ("040", "thành phố Vinh, tỉnh Nghệ An", 3),
    ("040", "huyện Quỳnh Lưu, tỉnh Nghệ An", 3),
    ("044", "huyện Quảng Trạch, tỉnh Quảng Bình", 3),
    ("044", "thị xã Ba Đồn, tỉnh Quảng Bình", 2),
    ("038", "huyện Tĩnh Gia, tỉnh Thanh Hóa", 2),
    ("045", "huyện Vĩnh Linh, tỉnh Quảng Trị", 1),
    ("001", "quận Hoàng Mai, thành phố Hà Nội", 1),
    ("079", "quận Bình Tân, Thành phố Hồ Chí Minh", 1),
)
# Companies by what they trade in (the category of the cases they may be fined in).
COMPANIES = (
    ("forest", "Công ty TNHH Lâm sản Phú Thịnh", "thị trấn Tây Sơn, huyện Hương Sơn"),
    ("forest", "Công ty Cổ phần Chế biến gỗ Hồng Lĩnh", "phường Bắc Hồng, thị xã Hồng Lĩnh"),
    ("forest", "Công ty TNHH Gỗ mỹ nghệ Hương Khê", "thị trấn Hương Khê, huyện Hương Khê"),
    (
        "smuggling",
        "Công ty TNHH Thương mại Hoàng Long Hà Tĩnh",
        "phường Kỳ Trinh, thị xã Kỳ Anh",
    ),
    ("smuggling", "Công ty TNHH Xuất nhập khẩu Tân Cầu Treo", "xã Sơn Kim 1, huyện Hương Sơn"),
    (
        "smuggling",
        "Công ty TNHH Vận tải và Thương mại Nam Hồng",
        "phường Nam Hồng, thị xã Hồng Lĩnh",
    ),
)

# --- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedSubject:
    name: str
    kind: str = SubjectKind.PERSON
    birth_year: int | None = None
    sex: str = ""
    citizen_id: str = ""
    passport: str = ""
    nationality: str = "Việt Nam"
    registration_number: str = ""
    address: str = ""
    role: str = SubjectRole.SUSPECT
    result: str = ""

    def data(self) -> services.SubjectData:
        return services.SubjectData(
            name=self.name,
            kind=self.kind,
            birth_year=self.birth_year,
            sex=self.sex,
            citizen_id=self.citizen_id,
            passport=self.passport,
            nationality=self.nationality,
            registration_number=self.registration_number,
            address=self.address,
            role=self.role,
            result=self.result,
        )


@dataclass(frozen=True)
class PlannedSeizure:
    item: str
    quantity: Decimal  # in the canonical unit
    unit: str  # as entered
    entered: str  # as typed, the Vietnamese way (`0,00109`, `3.500`)


@dataclass(frozen=True)
class PlannedStep:
    action: str  # verify, handle, transfer, close
    at: dt.datetime
    note: str
    outcome: str = ""
    fine: Decimal | None = None
    transferred_to: str = ""


@dataclass(frozen=True)
class PlannedCase:
    quarter: str
    lead: str  # unit key
    username: str
    detecting: str
    cooperating: tuple[str, ...]
    category: str
    domain: str
    commune: str
    occurred_at: dt.datetime | None
    detected_at: dt.datetime
    title: str
    summary: str
    subjects: tuple[PlannedSubject, ...]
    seized: tuple[PlannedSeizure, ...]
    steps: tuple[PlannedStep, ...]
    wanted: str = ""  # notice number of the wanted person arrested in this case


@dataclass(frozen=True)
class PlannedWanted:
    spec: WantedSpec
    username: str
    # (arresting unit key, when, username recording it, arrest case as (lead key, detected_at))
    caught: tuple[str, dt.datetime, str, tuple[str, dt.datetime] | None] | None


@dataclass(frozen=True)
class CasePlan:
    cases: tuple[PlannedCase, ...]
    wanted: tuple[PlannedWanted, ...]


@dataclass
class _Draft:
    """A case while it is being planned."""

    category: str
    sea: bool
    domain: str
    commune: str
    lead: str
    cooperating: list[str]
    detecting: str
    detected_at: dt.datetime
    offenders: int = 1
    organisation: bool = False
    wanted: WantedSpec | None = None
    seized: list[PlannedSeizure] = field(default_factory=list)

    @property
    def force(self) -> str:
        return self.lead.split(".")[0].upper()

    def has(self, code: str) -> bool:
        return any(s.item == code for s in self.seized)


def split(total: Decimal, step: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """`total` in `parts` positive whole multiples of `step` that add up to it exactly.

    Weights are drawn heavy-tailed (one large seizure, several small ones), every part gets one
    step and the rest is shared by largest remainder: integer arithmetic on the steps.
    """
    steps, rest = divmod(total, step)
    if rest or steps < parts or parts < 1:
        raise ValueError(f"cannot split {total} into {parts} parts of {step}")
    spare = int(steps) - parts
    weights = [rng.lognormvariate(0, 1.0) for _ in range(parts)]
    shares = [spare * w / sum(weights) for w in weights]
    whole = [int(s) for s in shares]
    by_remainder = sorted(range(parts), key=lambda i: shares[i] - whole[i], reverse=True)
    for i in by_remainder[: spare - sum(whole)]:
        whole[i] += 1
    return [(n + 1) * step for n in whole]


def _typed(quantity: Decimal, canonical: str, unit: str) -> str:
    """The quantity in `unit` as an officer types it (`0,00109`, `3.500`)."""
    from phoihop.cases.measures import convert

    return formats.number(convert(quantity, canonical, unit), max_decimals=6)


class CasePlanner:
    """What the scenario offers the cases: units that existed then, their users, the places."""

    def __init__(self, scenario: Scenario) -> None:
        self.units = {u.key: u for u in scenario.units}
        self.communes = [c.key for c in scenario.communes if c.key in exchange_data.PLACES]
        self.users: dict[str, list[str]] = defaultdict(list)
        for spec in scenario.users:
            if {"officer", "commander"} & set(spec.roles):
                self.users[spec.unit].append(spec.username)
        for duty in exchange_data.DUTY_USERS:
            self.users[duty.unit].append(duty.username)
        self.exists = ExchangePlanner(scenario).existed
        self.citizen_ids: set[str] = {w.citizen_id for w in WANTED}
        self.repeat_offenders: list[PlannedSubject] = []
        self.companies = list(COMPANIES)

    # units

    def local(self, force: str, commune: str, on: dt.date, *, sea: bool = False) -> list[str]:
        """The force's units at the commune then (a post, a commune police or military)."""
        found = [
            u.key
            for u in self.units.values()
            if u.force == force
            and commune in u.areas
            and (u.level == "xa" or (sea and u.level == "khu_vuc"))
            and self.exists(u, on)
            and self.users[u.key]
        ]
        return sorted(found)

    def leads(
        self, force: str, category: str, commune: str, on: dt.date, sea: bool
    ) -> list[tuple[str, float]]:
        local = self.local(force, commune, on, sea=sea)
        if force == "BP":
            options = [(key, 1.0 / len(local)) for key in local]
            if category == "drugs" and not sea:
                options.append(("bp.tinh", 0.25))
            return options
        if force == "CA":
            options = []
            if local and category in LOCAL_CATEGORIES["CA"]:
                options += [(key, 0.6 / len(local)) for key in local]
            scale = 0.4 if options else 1.0
            departments = POLICE_DEPARTMENT.get(category, (("ca.tinh", 1),))
            return options + [(key, share * scale) for key, share in departments]
        options = []
        if local and category in LOCAL_CATEGORIES["QS"]:
            options += [(key, 1.0 / len(local)) for key in local]
        if category == "weapons":
            options.append(("qs.tham-muu", 0.5))
        return options

    def partner(
        self, rng: random.Random, force: str, category: str, commune: str, on: dt.date, sea: bool
    ) -> str:
        local = self.local(force, commune, on, sea=sea)
        if local:
            return rng.choice(local)
        if force == "CA":
            return POLICE_DEPARTMENT.get(category, (("ca.pc02", 1),))[0][0]
        return PROVINCIAL[force]

    def short(self, key: str) -> str:
        spec: UnitSpec = self.units[key]
        return spec.short_name or spec.name

    # people

    def citizen_id(self, rng: random.Random, code: str, year: int, sex: str) -> str:
        while True:
            value = identifiers.citizen_id(
                code, birth_year=year, sex=sex, serial=rng.randrange(10**6)
            )
            if value not in self.citizen_ids:
                self.citizen_ids.add(value)
                return value

    def person(
        self,
        rng: random.Random,
        commune: str,
        on: dt.date,
        *,
        sex: str = "",
        ages: tuple[int, int, int] = (18, 58, 33),
        lao: bool = False,
        with_id: float = 0.96,
        role: str = SubjectRole.SUSPECT,
        result: str = "",
    ) -> PlannedSubject:
        sex = sex or (Sex.FEMALE if rng.random() < 0.1 else Sex.MALE)
        low, high, mode = ages
        year = on.year - round(rng.triangular(low, high, mode))
        if lao:
            return PlannedSubject(
                name=rng.choice(LAO_NAMES[Sex(sex)]),
                birth_year=year,
                sex=sex,
                passport=f"P{rng.randrange(10**7):07d}" if rng.random() < 0.4 else "",
                nationality="Lào",
                address=rng.choice(LAO_ADDRESSES),
                role=role,
                result=result,
            )
        name = person_name(rng, sex)
        code, elsewhere, _w = rng.choices(ORIGINS, [o[2] for o in ORIGINS])[0]
        if code == "042":
            address = f"thôn {rng.choice(VILLAGES)}, {rng.choice(HOME_COMMUNES[commune])}, "
            address += "tỉnh Hà Tĩnh"
        else:
            address = elsewhere
        return PlannedSubject(
            name=name,
            birth_year=year,
            sex=sex,
            citizen_id=self.citizen_id(rng, code, year, sex) if rng.random() < with_id else "",
            address=address,
            role=role,
            result=result,
        )


def _detection_hour(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.65:
        return rng.randint(7, 17)
    if roll < 0.9:
        return rng.randint(18, 23)
    return rng.randint(0, 6)


def _moment(rng: random.Random, window: exchange_data.Quarter) -> dt.datetime:
    return moment_in(rng, window.start, window.end, _detection_hour)


def _kind(commune: str) -> str:
    return exchange_data.PLACES[commune].kind


def _draft(rng: random.Random, planner: CasePlanner, quarter: CaseQuarter, sea: bool) -> _Draft:
    window = quarter.window
    on = window.start
    category = pick(rng, SEA_CATEGORIES if sea else quarter.categories)
    options: list[tuple[tuple[str, str], float]] = []
    for commune in planner.communes:
        kind = _kind(commune)
        weight = 1.0 if sea else KIND_WEIGHT[category][kind]
        if (sea and kind != "coast") or not weight:
            continue
        for force, force_weight in LEAD_FORCE[category]:
            for unit, share in planner.leads(force, category, commune, on, sea):
                options.append(((unit, commune), weight * force_weight * share))
    lead, commune = pick(rng, options)
    force = planner.units[lead].force
    if sea:
        domain = CaseDomain.SEA
    elif _kind(commune) == "border" and category != "other_criminal" and rng.random() < 0.85:
        domain = CaseDomain.LAND_BORDER
    else:
        domain = CaseDomain.INLAND
    cooperating: list[str] = []
    for other in FORCES:
        if other != force and rng.random() < 0.35:
            cooperating.append(planner.partner(rng, other, category, commune, on, sea))
    local = planner.local(force, commune, on, sea=sea)
    if lead not in local and local and rng.random() < 0.3:
        cooperating.append(local[0])
    cooperating = [key for key in dict.fromkeys(cooperating) if key != lead]
    detecting = rng.choice(cooperating) if cooperating and rng.random() < 0.25 else lead
    return _Draft(
        category=category,
        sea=sea,
        domain=domain,
        commune=commune,
        lead=lead,
        cooperating=cooperating,
        detecting=detecting,
        detected_at=_moment(rng, window),
    )


def _seize(rng: random.Random, drafts: list[_Draft], quarter: CaseQuarter) -> None:
    for code, total, parts in quarter.seized:
        canonical = _CANONICAL[code]
        eligible = [
            d
            for d in drafts
            if d.category in ITEM_CATEGORIES[code]
            and d.wanted is None
            and not (d.sea and code in ON_LAND_ONLY)
        ]
        companion = SEIZED_WITH.get(code)
        preferred = [
            d
            for d in eligible
            if (companion and d.has(companion)) or (code in PREFER_SEA and d.sea)
        ]
        others = [d for d in eligible if d not in preferred]
        rng.shuffle(preferred)
        rng.shuffle(others)
        chosen = (preferred + others)[:parts]
        if len(chosen) < parts:
            raise ValueError(f"{quarter.key}: not enough cases to seize {code} in")
        amounts = split(Decimal(total), Decimal(SPLIT_STEP[code]), parts, rng)
        # A few seizures of each item were typed in another unit (0,00109 kg of heroin).
        typed_otherwise = (
            set(rng.sample(range(parts), max(1, parts // 4))) if code in OTHER_UNITS else set()
        )
        for index, (draft, amount) in enumerate(zip(chosen, amounts, strict=True)):
            unit = rng.choice(OTHER_UNITS[code]) if index in typed_otherwise else canonical
            draft.seized.append(PlannedSeizure(code, amount, unit, _typed(amount, canonical, unit)))


_MOST = {
    "drugs": 3,
    "smuggling": 3,
    "weapons": 2,
    "forest": 3,
    "administrative": 4,
    "migration": 5,
    "iuu": 2,
    "other_criminal": 3,
    "trafficking": 2,
}
_MORE_THAN_ONE = {
    "drugs": 0.2,
    "smuggling": 0.15,
    "weapons": 0.05,
    "forest": 0.2,
    "administrative": 0.12,
    "migration": 0.4,
    "iuu": 0.05,
    "other_criminal": 0.25,
    "trafficking": 0.3,
}
_OWNERLESS = {"forest": 0.35, "weapons": 0.15, "smuggling": 0.2}


def _count_offenders(rng: random.Random, drafts: list[_Draft], total: int) -> None:
    """Offenders per case, adding up to exactly `total` (some cases found without owner)."""
    for d in drafts:
        ownerless = (
            bool(d.seized)
            and not d.organisation
            and d.wanted is None
            and rng.random() < _OWNERLESS.get(d.category, 0)
        )
        if ownerless:
            d.offenders = 0
            continue
        d.offenders = 1
        while d.offenders < _MOST[d.category] and rng.random() < _MORE_THAN_ONE[d.category]:
            d.offenders += 1
    diff = total - sum(d.offenders for d in drafts)
    while diff:
        if diff > 0:
            grow = [d for d in drafts if 0 < d.offenders < _MOST[d.category]]
            if not grow:
                raise ValueError("too many offenders for the cases")
            rng.choice(grow).offenders += 1
            diff -= 1
        else:
            shrink = [d for d in drafts if d.offenders > 1]
            if not shrink:
                raise ValueError("too few offenders for the cases")
            rng.choice(shrink).offenders -= 1
            diff += 1


@dataclass(frozen=True)
class _Handling:
    outcome: str  # prosecution, administrative, no_violation, transfer, ownerless, verifying
    fine: Decimal | None = None
    transferred_to: str = ""


def _fine(rng: random.Random, category: str, *, organisation: bool) -> Decimal:
    low, high = FINES[category]
    step = 250_000 if high <= 10_000_000 else 1_000_000
    amount = rng.randrange(low // step, high // step + 1) * step
    return Decimal(amount * (2 if organisation else 1))


def _authority(d: _Draft, wanted: WantedSpec | None) -> str:
    district = DISTRICT[d.commune]
    if wanted is not None:
        return wanted.issuing_authority
    if d.category == "forest":
        if d.commune == "vu-quang":
            return "Hạt Kiểm lâm Vườn quốc gia Vũ Quang"
        return f"Hạt Kiểm lâm {district}"
    if d.category == "smuggling":
        if d.commune in ("son-kim-1", "son-kim-2"):
            return "Chi cục Hải quan cửa khẩu quốc tế Cầu Treo"
        if d.sea or d.commune == "vung-ang":
            return "Chi cục Hải quan cửa khẩu cảng Vũng Áng"
        return "Đội Quản lý thị trường số 2, Cục Quản lý thị trường tỉnh Hà Tĩnh"
    if d.category == "iuu":
        return "Chi cục Thủy sản tỉnh Hà Tĩnh"
    if d.category == "administrative":
        return f"Ủy ban nhân dân {district}"
    if d.category == "migration" and d.force != "CA":
        return "Phòng Quản lý xuất nhập cảnh Công an tỉnh Hà Tĩnh"
    if d.force == "CA":
        return f"Cơ quan Cảnh sát điều tra Công an {district}"
    return _CSDT_HT


def _handling(rng: random.Random, d: _Draft, quarter: CaseQuarter) -> _Handling:
    if d.wanted is not None:
        return _Handling("transfer", transferred_to=_authority(d, d.wanted))
    if d.offenders == 0 and not d.organisation:
        if d.category == "forest" and rng.random() < 0.6:
            return _Handling("transfer", transferred_to=_authority(d, None))
        return _Handling("ownerless")
    if d.organisation:
        # Companies are fined (twice what a person pays); their staff are fined with them.
        return _Handling("administrative", fine=_fine(rng, d.category, organisation=True))
    if rng.random() < quarter.still_verifying:
        return _Handling("verifying")
    criminal = any(s.quantity >= CRIMINAL_FROM.get(s.item, Decimal("Infinity")) for s in d.seized)
    outcome = "prosecution" if criminal else pick(rng, OUTCOMES[d.category])
    if outcome == "prosecution" and d.force == "QS":
        outcome = "transfer"  # the military command hands criminal cases to the police
    if outcome == "transfer":
        return _Handling("transfer", transferred_to=_authority(d, None))
    if outcome == "administrative":
        return _Handling(outcome, fine=_fine(rng, d.category, organisation=d.organisation))
    return _Handling(outcome)


def _steps(
    rng: random.Random, d: _Draft, handling: _Handling, quarter: CaseQuarter
) -> tuple[PlannedStep, ...]:
    def later(start: dt.datetime, low: float, high: float) -> dt.datetime:
        """Some hours after `start`, recorded in office hours (7 to 17)."""
        moment = (start + dt.timedelta(hours=rng.uniform(low, high))).replace(
            second=0, microsecond=0
        )
        if not 7 <= moment.hour < 17:
            day = moment.date() + dt.timedelta(days=1 if moment.hour >= 17 else 0)
            moment = dt.datetime.combine(
                day, dt.time(rng.randint(7, 10), rng.randrange(60)), tzinfo=moment.tzinfo
            )
        return moment

    steps: list[PlannedStep] = []
    now = d.detected_at
    outcome = handling.outcome
    on_the_spot = outcome == "administrative" and rng.random() < 0.4
    if not on_the_spot and not (outcome == "transfer" and rng.random() < 0.5):
        now = later(now, 2, 72)
        steps.append(PlannedStep("verify", now, rng.choice(NOTES["verify"])))
    if outcome == "verifying":
        return tuple(steps)
    if outcome == "ownerless":
        now = later(now, 24 * 5, 24 * 30)
        return (*steps, PlannedStep("close", now, rng.choice(NOTES["ownerless"])))
    if outcome == "transfer":
        now = later(now, 6, 24 * 10)
        steps.append(
            PlannedStep(
                "transfer",
                now,
                rng.choice(NOTES["transfer"]),
                outcome=CaseOutcome.TRANSFERRED,
                transferred_to=handling.transferred_to,
            )
        )
    else:
        delay = {"administrative": (24, 24 * 14), "prosecution": (24 * 7, 24 * 45)}
        now = later(now, *delay.get(outcome, (24 * 3, 24 * 20)))
        steps.append(
            PlannedStep(
                "handle",
                now,
                rng.choice(NOTES[outcome]),
                outcome=CaseOutcome(outcome),
                fine=handling.fine,
            )
        )
    if rng.random() < quarter.closed:
        now = later(now, 24 * 15, 24 * 120)
        steps.append(PlannedStep("close", now, rng.choice(NOTES["close"])))
    return tuple(steps)


def _results(rng: random.Random, outcome: str, category: str) -> tuple[str, str]:
    """(role, result) of an offender, given how the case ended."""
    criminal = category in ("drugs", "trafficking", "other_criminal", "migration", "weapons")
    if outcome == "prosecution":
        return (SubjectRole.ARRESTED if rng.random() < 0.7 else SubjectRole.SUSPECT), (
            SubjectResult.PROSECUTED
        )
    if outcome == "administrative":
        return SubjectRole.SUSPECT, SubjectResult.FINED
    if outcome == "no_violation":
        return SubjectRole.SUSPECT, SubjectResult.RELEASED
    if outcome == "transfer":
        if criminal and rng.random() < 0.6:
            return SubjectRole.ARRESTED, SubjectResult.ARRESTED
        return SubjectRole.SUSPECT, SubjectResult.SUMMONED
    # still being verified
    if criminal and rng.random() < 0.5:
        return SubjectRole.ARRESTED, SubjectResult.ARRESTED
    return SubjectRole.SUSPECT, SubjectResult.SUMMONED


def _fitting(
    templates: Sequence[tuple[str, str, int]], d: _Draft, offenders: int
) -> list[tuple[str, str, int]]:
    place = exchange_data.PLACES[d.commune]
    kind = "sea" if d.sea else place.kind
    slots = {"locality": place.locality, "crossing": place.crossing, "sea": place.sea}
    return [
        t
        for t in templates
        if kind in t[0].split()
        and all(names or f"{{{slot}}}" not in t[1] for slot, names in slots.items())
        and ("{n}" not in t[1] or offenders >= 2)
    ]


def _title(rng: random.Random, d: _Draft) -> tuple[str, int]:
    """The case title and how many victims it implies."""
    if d.wanted is not None:
        templates = WANTED_TITLES[d.category]
    elif d.seized:
        main = min(d.seized, key=lambda s: list(_ITEMS).index(s.item)).item
        templates = SEIZURE_TITLES[main]
    else:
        templates = TITLES[d.category]
    fitting = _fitting(templates, d, d.offenders) or _fitting(TITLES[d.category], d, d.offenders)
    _kinds, template, victims = rng.choice(fitting)
    place = exchange_data.PLACES[d.commune]
    title = template.format(
        n=formats.count(d.offenders),
        nat=rng.choice(exchange_data.NATIONALITIES),
        locality=rng.choice(place.locality),
        crossing=rng.choice(place.crossing or ("",)),
        sea=rng.choice(place.sea or ("",)),
    )
    return title, victims


def _seized_phrase(s: PlannedSeizure) -> str:
    name, phrase = _ITEMS[s.item]
    if s.unit == _CANONICAL[s.item]:
        return f"{s.entered} {phrase}"
    return f"{s.entered} {s.unit} {name[0].lower()}{name[1:]}"


def _summary(
    rng: random.Random,
    planner: CasePlanner,
    d: _Draft,
    offenders: Sequence[PlannedSubject],
    organisation: PlannedSubject | None,
) -> str:
    place = exchange_data.PLACES[d.commune]
    if d.sea:
        where = rng.choice(place.sea)
    elif d.domain == CaseDomain.LAND_BORDER and place.crossing:
        where = rng.choice(place.crossing)
    else:
        where = rng.choice(place.locality)
    seen = d.detected_at
    who = f"tổ công tác của {planner.short(d.lead)}"
    if d.cooperating:
        who += " phối hợp với " + ", ".join(planner.short(k) for k in d.cooperating)
    if offenders:
        first = offenders[0]
        person = f"{first.name} (sinh năm {first.birth_year}"
        person += f", trú tại {first.address})" if first.address else ")"
        if len(offenders) > 1:
            person = f"{formats.count(len(offenders))} đối tượng, trong đó có {person}"
        found = f"phát hiện, kiểm tra {person}"
    elif organisation is None:
        found = "phát hiện tang vật không xác định được chủ sở hữu"
    else:
        found = "phát hiện vi phạm"
    if organisation is not None:
        found += f"; tổ chức vi phạm: {organisation.name}"
    sentences = [
        f"Khoảng {seen.hour:02d} giờ {seen.minute:02d} ngày {formats.date(seen.date())}, "
        f"tại {where}, {who} {found}."
    ]
    if d.wanted is not None:
        sentences.append(
            f"Qua kiểm tra, xác định {d.wanted.full_name} là đối tượng đang bị truy nã theo "
            f"Quyết định số {d.wanted.notice_number} ngày {formats.date(d.wanted.notice_date)} "
            f"của {d.wanted.issuing_authority}."
        )
    if d.seized:
        items = "; ".join(_seized_phrase(s) for s in d.seized)
        sentences.append(f"Tang vật thu giữ gồm: {items}.")
    return " ".join(sentences)


def _subjects(
    rng: random.Random,
    planner: CasePlanner,
    d: _Draft,
    handling: _Handling,
    victims: int,
) -> tuple[list[PlannedSubject], PlannedSubject | None, list[PlannedSubject]]:
    """(offenders, organisation, others: witnesses and victims)."""
    on = d.detected_at.date()
    outcome = handling.outcome
    offenders: list[PlannedSubject] = []
    if d.wanted is not None:
        w = d.wanted
        offenders.append(
            PlannedSubject(
                name=w.full_name,
                birth_year=w.birth_year,
                sex=w.sex,
                citizen_id=w.citizen_id,
                address=w.address,
                role=SubjectRole.ARRESTED,
                result=SubjectResult.ARRESTED,
            )
        )
    foreign = d.domain == CaseDomain.LAND_BORDER and d.category in (
        "migration",
        "drugs",
        "smuggling",
        "administrative",
    )
    female = {"trafficking": 0.5, "drugs": 0.12, "smuggling": 0.15, "migration": 0.3}
    while len(offenders) < d.offenders:
        role, result = _results(rng, outcome, d.category)
        known = [p for p in planner.repeat_offenders if p.name not in {o.name for o in offenders}]
        if d.category == "drugs" and known and rng.random() < 0.08:
            again = rng.choice(known)
            offenders.append(
                PlannedSubject(
                    name=again.name,
                    birth_year=again.birth_year,
                    sex=again.sex,
                    citizen_id=again.citizen_id,
                    address=again.address,
                    role=role,
                    result=result,
                )
            )
            continue
        sex = Sex.FEMALE if rng.random() < female.get(d.category, 0.05) else Sex.MALE
        person = planner.person(
            rng,
            d.commune,
            on,
            sex=sex,
            lao=foreign and rng.random() < 0.12,
            role=role,
            result=result,
        )
        offenders.append(person)
        if d.category == "drugs" and person.citizen_id:
            planner.repeat_offenders.append(person)
    organisation = None
    if d.organisation:
        trading = [c for c in planner.companies if c[0] == d.category]
        company = rng.choice(trading)
        planner.companies.remove(company)
        _category, name, seat = company
        organisation = PlannedSubject(
            name=name,
            kind=SubjectKind.ORGANISATION,
            registration_number=f"30{rng.randrange(10**8):08d}",
            address=f"{seat}, tỉnh Hà Tĩnh",
            result=SubjectResult.FINED,
        )
    others: list[PlannedSubject] = []
    for _ in range(rng.randint(1, victims) if victims else 0):
        others.append(
            planner.person(
                rng,
                d.commune,
                on,
                sex=Sex.FEMALE if d.category == "trafficking" else "",
                ages=(16, 60, 24 if d.category == "trafficking" else 40),
                role=SubjectRole.VICTIM,
            )
        )
    if rng.random() < 0.12:
        others.append(
            planner.person(rng, d.commune, on, ages=(20, 70, 45), role=SubjectRole.WITNESS)
        )
    return offenders, organisation, others


def plan_quarter(planner: CasePlanner, quarter: CaseQuarter) -> list[PlannedCase]:
    """Exactly the quarter's figures, spread by its seeded draw, in the order of detection."""
    rng = random.Random(quarter.seed)
    seas = [True] * quarter.at_sea + [False] * (quarter.cases - quarter.at_sea)
    rng.shuffle(seas)
    drafts = [_draft(rng, planner, quarter, sea) for sea in seas]
    # No two cases of a unit at the same minute: that is how a case is recognised.
    taken: set[tuple[str, dt.datetime]] = set()
    for d in drafts:
        while (d.lead, d.detected_at) in taken:
            d.detected_at += dt.timedelta(minutes=1)
        taken.add((d.lead, d.detected_at))
    for spec in WANTED:
        if spec.caught_in == quarter.key and not spec.surrendered:
            eligible = [
                d
                for d in drafts
                if not d.sea
                and d.category in WANTED_TITLES
                and d.force in ("CA", "BP")
                and d.wanted is None
                and _fitting(WANTED_TITLES[d.category], d, 1)
            ]
            rng.choice(eligible).wanted = spec
    companies = [
        d for d in drafts if not d.sea and d.category in ("forest", "smuggling") and not d.wanted
    ]
    for d in rng.sample(companies, quarter.organisations):
        d.organisation = True
    _seize(rng, drafts, quarter)
    _count_offenders(rng, drafts, quarter.persons)
    drafts.sort(key=lambda d: (d.detected_at, d.lead))
    planned: list[PlannedCase] = []
    for d in drafts:
        handling = _handling(rng, d, quarter)
        title, victims = _title(rng, d)
        offenders, organisation, others = _subjects(rng, planner, d, handling, victims)
        occurred = None
        if rng.random() < 0.7:
            occurred = d.detected_at - dt.timedelta(minutes=rng.randint(10, 60 * 48))
        lead_users = planner.users[d.lead]
        planned.append(
            PlannedCase(
                quarter=quarter.key,
                lead=d.lead,
                username=rng.choice(lead_users),
                detecting=d.detecting,
                cooperating=tuple(d.cooperating),
                category=CaseCategory(d.category),
                domain=d.domain,
                commune=d.commune,
                occurred_at=occurred,
                detected_at=d.detected_at,
                title=title,
                summary=_summary(rng, planner, d, offenders, organisation),
                subjects=tuple([*offenders, *([organisation] if organisation else []), *others]),
                seized=tuple(d.seized),
                steps=_steps(rng, d, handling, quarter),
                wanted=d.wanted.notice_number if d.wanted else "",
            )
        )
    return planned


def _wanted_plan(planner: CasePlanner, cases: Sequence[PlannedCase]) -> tuple[PlannedWanted, ...]:
    rng = random.Random(42)
    by_notice = {c.wanted: c for c in cases if c.wanted}
    windows = {q.key: q.window for q in QUARTERS}
    planned = []
    for spec in WANTED:
        username = planner.users[spec.owner][0]
        caught: tuple[str, dt.datetime, str, tuple[str, dt.datetime] | None] | None = None
        if spec.surrendered:
            at = _moment(rng, windows[spec.caught_in])
            caught = (spec.owner, at, username, None)
        elif spec.caught_in:
            case = by_notice[spec.notice_number]
            arrest = case.detected_at
            caught = (case.lead, arrest, username, (case.lead, case.detected_at))
        planned.append(PlannedWanted(spec, username, caught))
    return tuple(planned)


def plan(scenario: Scenario) -> CasePlan:
    """Every quarter's cases, oldest first, and the wanted persons with their arrests."""
    planner = CasePlanner(scenario)
    cases = [case for quarter in QUARTERS for case in plan_quarter(planner, quarter)]
    cases.sort(key=lambda c: (c.detected_at, c.lead))
    return CasePlan(tuple(cases), _wanted_plan(planner, cases))


def unit_keys() -> set[str]:
    """The units the cases name: a scenario without them gets no cases."""
    keys = set(PROVINCIAL.values())
    keys |= {key for units in POLICE_DEPARTMENT.values() for key, _share in units}
    keys |= {w.owner for w in WANTED} | {"ca.son-kim-1", "ca.son-kim-2", "bp.hai-doi-2"}
    return keys | ExchangePlanner.unit_keys()


# --- the step -------------------------------------------------------------------------------


class _Actors:
    def __init__(self, ctx: DemoContext) -> None:
        self.known = dict(ctx.users)

    def __getitem__(self, username: str) -> User:
        if username not in self.known:
            self.known[username] = User.objects.get(username=username)
        return self.known[username]


def _record(ctx: DemoContext, actors: _Actors, planned: PlannedCase) -> CaseModel:
    actor = actors[planned.username]
    case = services.case_create(
        actor=actor,
        title=planned.title,
        summary=planned.summary,
        category=planned.category,
        domain=planned.domain,
        commune=ctx.communes[planned.commune],
        occurred_at=planned.occurred_at,
        detected_at=planned.detected_at,
        lead_unit=ctx.units[planned.lead],
        detecting_unit=ctx.units[planned.detecting],
        cooperating_units=[ctx.units[key] for key in planned.cooperating],
        is_joint=True,
        subjects=[s.data() for s in planned.subjects],
        seized=[
            services.SeizedData(item=s.item, quantity=s.entered, unit=s.unit, localized=True)
            for s in planned.seized
        ],
    )
    for step in planned.steps:
        if step.action == "verify":
            services.case_start_verification(actor=actor, case=case, note=step.note, at=step.at)
        elif step.action == "handle":
            services.case_handle(
                actor=actor,
                case=case,
                outcome=step.outcome,
                fine_amount=step.fine,
                note=step.note,
                at=step.at,
            )
        elif step.action == "transfer":
            services.case_transfer(
                actor=actor,
                case=case,
                transferred_to=step.transferred_to,
                note=step.note,
                at=step.at,
            )
        else:
            services.case_close(actor=actor, case=case, note=step.note, at=step.at)
    return case


def build_cases(ctx: DemoContext) -> None:
    """Load the cases and wanted persons of the demo province (a cut-down scenario gets none)."""
    if ctx.scenario.province_code != PROVINCE_CODE or not unit_keys() <= set(ctx.units):
        return
    whole = plan(ctx.scenario)
    actors = _Actors(ctx)
    known_notices = set(WantedPerson.all_objects.values_list("notice_number", "issuing_authority"))
    new_wanted: dict[str, WantedPerson] = {}
    for w in whole.wanted:
        spec = w.spec
        if (spec.notice_number, spec.issuing_authority) in known_notices:
            continue
        new_wanted[spec.notice_number] = services.wanted_create(
            actor=actors[w.username],
            notice_number=spec.notice_number,
            notice_date=spec.notice_date,
            issuing_authority=spec.issuing_authority,
            full_name=spec.full_name,
            birth_year=spec.birth_year,
            sex=spec.sex,
            citizen_id=spec.citizen_id,
            address=spec.address,
            offence=spec.offence,
            is_joint=True,
        )
        ctx.counts["wanted_persons"] += 1
    leads = {ctx.units[c.lead].pk for c in whole.cases}
    existing = set(
        Case.all_objects.filter(
            owner_unit__in=leads,
            detected_at__gte=whole.cases[0].detected_at,
            detected_at__lte=whole.cases[-1].detected_at,
        ).values_list("owner_unit_id", "detected_at")
    )
    recorded: dict[tuple[str, dt.datetime], CaseModel] = {}
    for planned in whole.cases:
        if (ctx.units[planned.lead].pk, planned.detected_at) in existing:
            continue
        recorded[(planned.lead, planned.detected_at)] = _record(ctx, actors, planned)
        ctx.counts["cases"] += 1
    for w in whole.wanted:
        wanted = new_wanted.get(w.spec.notice_number)
        if wanted is None or w.caught is None:
            continue
        unit, at, username, case_key = w.caught
        case = recorded.get(case_key) if case_key else None
        if case_key and case is None:
            continue  # the arrest case was there before: leave the person as found
        services.wanted_arrest(
            actor=actors[username],
            wanted=wanted,
            arrested_at=at,
            arresting_unit=ctx.units[unit],
            case=case,
            surrendered=w.spec.surrendered,
        )
