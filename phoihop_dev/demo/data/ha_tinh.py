"""The demo province: Hà Tĩnh (2025 code 42), Military Region 4, on the Lao border and the sea.

Communes are the real 2025 communes, by official code (QĐ 19/2025/QĐ-TTg, as shipped by the
`vietnam-provinces` package); the builder refuses to run if a code is missing or names another
commune. Border Guard posts carry the names used in the provincial press (Đồn Biên phòng Cửa khẩu
Quốc tế Cầu Treo, Sơn Hồng, Hương Quang, Bản Giàng, Lạch Kèn, Cửa Sót, Thiên Cầm, Kỳ Khang, Đèo
Ngang; Ban Chỉ huy Biên phòng Cửa khẩu cảng Vũng Áng – Sơn Dương; Hải đội 2). Which 2025 communes
each post covers, the numbering of the regional defence commands and every person are
illustrative: this is demonstration data, not an order of battle. The people are fictitious.

The 2025 reform is in the tree: district police ended on 01/3/2025, district military commands
on 30/6/2025 (regional defence commands from 01/7/2025), and the provincial Border Guard command
moved under the provincial Military Command on 01/7/2025 as "Ban Chỉ huy Bộ đội Biên phòng".
"""

from __future__ import annotations

import datetime as dt

from phoihop.core.enums import Classification
from phoihop_dev.demo.scenario import PROVINCE, CommuneSpec, MoveSpec, Scenario, UnitSpec, UserSpec

REFORM = dt.date(2025, 7, 1)
DISTRICT_POLICE_END = dt.date(2025, 3, 1)
HUONG_SON_DISTRICT = "439"  # Huyện Hương Sơn, ended 30/6/2025

COMMUNES = (
    # On the land border with Laos (Bolikhamxay, Khammouane).
    CommuneSpec("huong-son", "18133", "Xã Hương Sơn"),
    CommuneSpec("son-kim-1", "18196", "Xã Sơn Kim 1", border=True),
    CommuneSpec("son-kim-2", "18199", "Xã Sơn Kim 2", border=True),
    CommuneSpec("son-hong", "18160", "Xã Sơn Hồng", border=True),
    CommuneSpec("vu-quang", "18313", "Xã Vũ Quang", border=True),
    CommuneSpec("huong-xuan", "18544", "Xã Hương Xuân", border=True),
    CommuneSpec("phuc-trach", "18547", "Xã Phúc Trạch", border=True),
    # The provincial capital.
    CommuneSpec("thanh-sen", "18073", "Phường Thành Sen"),
    CommuneSpec("tran-phu", "18100", "Phường Trần Phú"),
    # On the coast, from Cửa Hội in the north to Đèo Ngang in the south.
    CommuneSpec("dan-hai", "18364", "Xã Đan Hải", coast=True),
    CommuneSpec("loc-ha", "18568", "Xã Lộc Hà", coast=True),
    CommuneSpec("thien-cam", "18676", "Xã Thiên Cầm", coast=True),
    CommuneSpec("ky-khang", "18790", "Xã Kỳ Khang", coast=True),
    CommuneSpec("vung-ang", "18823", "Phường Vũng Áng", coast=True),
    CommuneSpec("hoanh-son", "18832", "Phường Hoành Sơn", coast=True),
)
_BY_KEY = {c.key: c for c in COMMUNES}

# Short unit codes per commune, used in document numbers (Số: 12/BC-CAX-SK1).
_ABBR = {
    "huong-son": "HSO",
    "son-kim-1": "SK1",
    "son-kim-2": "SK2",
    "son-hong": "SHG",
    "vu-quang": "VQG",
    "huong-xuan": "HXN",
    "phuc-trach": "PTR",
    "thanh-sen": "TSN",
    "tran-phu": "TPU",
    "dan-hai": "DHI",
    "loc-ha": "LHA",
    "thien-cam": "TCM",
    "ky-khang": "KKG",
    "vung-ang": "VAG",
    "hoanh-son": "HSN",
}
# Communes that existed unchanged before 1/7/2025: their units already stood under the district
# commands, and the tree records how they were moved when the districts went.
_UNCHANGED_IN_2025 = ("son-kim-1", "son-kim-2")

# Which regional defence command (Ban Chỉ huy Phòng thủ khu vực) covers which communes.
_DEFENCE_REGIONS = (
    ("ptkv-1", "Hương Sơn", ("huong-son", "son-kim-1", "son-kim-2", "son-hong", "vu-quang")),
    ("ptkv-2", "Hương Khê", ("huong-xuan", "phuc-trach")),
    ("ptkv-3", "Thành Sen", ("thanh-sen", "tran-phu", "dan-hai", "loc-ha", "thien-cam")),
    ("ptkv-4", "Kỳ Anh", ("ky-khang", "vung-ang", "hoanh-son")),
)


def _local(commune_key: str) -> str:
    """'Xã Sơn Kim 1' -> 'xã Sơn Kim 1', as it reads after a unit's name."""
    name = _BY_KEY[commune_key].name
    return name[0].lower() + name[1:]


def _commune_police(key: str) -> UnitSpec:
    legacy = key in _UNCHANGED_IN_2025
    return UnitSpec(
        key=f"ca.{key}",
        force="CA",
        code=f"CAX-{_ABBR[key]}",
        name=f"Công an {_local(key)}",
        short_name=f"CA {_local(key)}",
        level="xa",
        parent="ca.huong-son-huyen" if legacy else "ca.tinh",
        areas=(key,),
        valid_from=None if legacy else REFORM,
    )


def _commune_military(key: str, region: str) -> UnitSpec:
    legacy = key in _UNCHANGED_IN_2025
    return UnitSpec(
        key=f"qs.{key}",
        force="QS",
        code=f"QSX-{_ABBR[key]}",
        name=f"Ban Chỉ huy Quân sự {_local(key)}",
        short_name=f"Ban CHQS {_local(key)}",
        level="xa",
        parent="qs.huong-son-huyen" if legacy else f"qs.{region}",
        areas=(key,),
        valid_from=None if legacy else REFORM,
    )


def _post(key: str, code: str, name: str, short: str, areas: tuple[str, ...]) -> UnitSpec:
    return UnitSpec(
        key=f"bp.{key}",
        force="BP",
        code=code,
        name=name,
        short_name=short,
        level="xa",
        parent="bp.tinh",
        areas=areas,
    )


POLICE = (
    UnitSpec(
        "ca.tinh",
        "CA",
        "CAT",
        "Công an tỉnh Hà Tĩnh",
        "tinh",
        short_name="Công an tỉnh",
        areas=(PROVINCE,),
    ),
    UnitSpec(
        "ca.pv01",
        "CA",
        "CAT-PV01",
        "Phòng Tham mưu (PV01)",
        "tinh",
        parent="ca.tinh",
        short_name="Phòng PV01 Công an tỉnh",
        areas=(PROVINCE,),
    ),
    UnitSpec(
        "ca.pc02",
        "CA",
        "CAT-PC02",
        "Phòng Cảnh sát hình sự (PC02)",
        "tinh",
        parent="ca.tinh",
        short_name="Phòng PC02 Công an tỉnh",
        areas=(PROVINCE,),
    ),
    UnitSpec(
        "ca.pc04",
        "CA",
        "CAT-PC04",
        "Phòng Cảnh sát điều tra tội phạm về ma túy (PC04)",
        "tinh",
        parent="ca.tinh",
        short_name="Phòng PC04 Công an tỉnh",
        areas=(PROVINCE,),
    ),
    UnitSpec(
        "ca.pa08",
        "CA",
        "CAT-PA08",
        "Phòng Quản lý xuất nhập cảnh (PA08)",
        "tinh",
        parent="ca.tinh",
        short_name="Phòng PA08 Công an tỉnh",
        areas=(PROVINCE,),
    ),
    UnitSpec(
        "ca.huong-son-huyen",
        "CA",
        "CAH-HSO",
        "Công an huyện Hương Sơn",
        "huyen",
        parent="ca.tinh",
        short_name="CA huyện Hương Sơn",
        legacy_districts=(HUONG_SON_DISTRICT,),
        valid_until=DISTRICT_POLICE_END - dt.timedelta(days=1),
        closing_reason="Kết thúc hoạt động của Công an cấp huyện từ ngày 01/3/2025",
    ),
    *(_commune_police(c.key) for c in COMMUNES),
)

MILITARY = (
    UnitSpec(
        "qs.tinh",
        "QS",
        "BCHQS",
        "Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh",
        "tinh",
        short_name="Bộ CHQS tỉnh",
        areas=(PROVINCE,),
    ),
    UnitSpec(
        "qs.tham-muu",
        "QS",
        "BCHQS-PTM",
        "Phòng Tham mưu, Bộ Chỉ huy Quân sự tỉnh",
        "tinh",
        parent="qs.tinh",
        short_name="Phòng Tham mưu Bộ CHQS",
        areas=(PROVINCE,),
    ),
    UnitSpec(
        "qs.huong-son-huyen",
        "QS",
        "BCHQS-HSO",
        "Ban Chỉ huy Quân sự huyện Hương Sơn",
        "huyen",
        parent="qs.tinh",
        short_name="Ban CHQS huyện Hương Sơn",
        legacy_districts=(HUONG_SON_DISTRICT,),
        valid_until=REFORM - dt.timedelta(days=1),
        closing_reason="Kết thúc hoạt động của Ban Chỉ huy Quân sự cấp huyện từ ngày 01/7/2025",
    ),
    *(
        UnitSpec(
            f"qs.{key}",
            "QS",
            f"PTKV-{key[-1]}",
            f"Ban Chỉ huy Phòng thủ khu vực {key[-1]} – {seat}",
            "khu_vuc",
            parent="qs.tinh",
            short_name=f"Ban CHPTKV {key[-1]}",
            areas=communes,
            valid_from=REFORM,
        )
        for key, seat, communes in _DEFENCE_REGIONS
    ),
    *(
        _commune_military(commune, region)
        for region, _seat, communes in _DEFENCE_REGIONS
        for commune in communes
    ),
)

_COAST = tuple(c.key for c in COMMUNES if c.coast)

BORDER_GUARD = (
    UnitSpec(
        "bp.tinh",
        "BP",
        "BCHBP",
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Hà Tĩnh",
        "tinh",
        short_name="Bộ CH BĐBP tỉnh",
        areas=(PROVINCE,),
    ),
    _post(
        "cau-treo",
        "DBP-CTR",
        "Đồn Biên phòng Cửa khẩu Quốc tế Cầu Treo",
        "Đồn BP CKQT Cầu Treo",
        ("son-kim-1", "son-kim-2"),
    ),
    _post("son-hong", "DBP-SHG", "Đồn Biên phòng Sơn Hồng", "Đồn BP Sơn Hồng", ("son-hong",)),
    _post(
        "huong-quang", "DBP-HQG", "Đồn Biên phòng Hương Quang", "Đồn BP Hương Quang", ("vu-quang",)
    ),
    _post(
        "ban-giang",
        "DBP-BGG",
        "Đồn Biên phòng Bản Giàng",
        "Đồn BP Bản Giàng",
        ("huong-xuan", "phuc-trach"),
    ),
    _post("lach-ken", "DBP-LKN", "Đồn Biên phòng Lạch Kèn", "Đồn BP Lạch Kèn", ("dan-hai",)),
    _post("cua-sot", "DBP-CST", "Đồn Biên phòng Cửa Sót", "Đồn BP Cửa Sót", ("loc-ha",)),
    _post("thien-cam", "DBP-TCM", "Đồn Biên phòng Thiên Cầm", "Đồn BP Thiên Cầm", ("thien-cam",)),
    _post("ky-khang", "DBP-KKG", "Đồn Biên phòng Kỳ Khang", "Đồn BP Kỳ Khang", ("ky-khang",)),
    _post(
        "vung-ang",
        "BCHBP-VAG",
        "Ban Chỉ huy Biên phòng Cửa khẩu cảng Vũng Áng – Sơn Dương",
        "BCH BP CKC Vũng Áng",
        ("vung-ang",),
    ),
    _post("deo-ngang", "DBP-DNG", "Đồn Biên phòng Đèo Ngang", "Đồn BP Đèo Ngang", ("hoanh-son",)),
    UnitSpec(
        "bp.hai-doi-2",
        "BP",
        "HDBP-2",
        "Hải đội Biên phòng 2",
        "khu_vuc",
        parent="bp.tinh",
        short_name="Hải đội BP 2",
        areas=_COAST,
    ),
)

MOVES = (
    # District police ended on 01/3/2025: commune police report to the provincial police.
    *(
        MoveSpec(
            f"ca.{key}",
            "ca.tinh",
            DISTRICT_POLICE_END,
            "Kết thúc hoạt động của Công an cấp huyện; Công an xã trực thuộc Công an tỉnh",
        )
        for key in _UNCHANGED_IN_2025
    ),
    # District military commands ended on 30/6/2025: regional defence commands from 01/7/2025.
    *(
        MoveSpec(
            f"qs.{key}",
            "qs.ptkv-1",
            REFORM,
            "Kết thúc hoạt động của Ban CHQS cấp huyện; thành lập Ban Chỉ huy Phòng thủ khu vực",
        )
        for key in _UNCHANGED_IN_2025
    ),
    MoveSpec(
        "bp.tinh",
        "qs.tinh",
        REFORM,
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh trực thuộc Bộ Chỉ huy Quân sự tỉnh từ ngày 01/7/2025",
        new_name="Ban Chỉ huy Bộ đội Biên phòng tỉnh Hà Tĩnh",
        new_short_name="Ban CH BĐBP tỉnh",
    ),
)

_M, _TM = Classification.MAT, Classification.TOI_MAT
_OFFICER, _COMMANDER = ("officer",), ("commander",)
_JOINT = ("officer", "joint_staff")

USERS = (
    UserSpec(
        "admin",
        "ca.pv01",
        "Phạm Thị Ngọc Ánh",
        "Thiếu tá, cán bộ quản trị hệ thống",
        ("administrator",),
        is_staff=True,
    ),
    # Công an
    UserSpec(
        "ca.tinh.chihuy",
        "ca.tinh",
        "Nguyễn Văn Thắng",
        "Đại tá, Phó Giám đốc Công an tỉnh",
        _COMMANDER,
    ),
    UserSpec(
        "ca.tinh.canbo", "ca.pv01", "Trần Thị Hương", "Thiếu tá, cán bộ Phòng Tham mưu", _OFFICER
    ),
    UserSpec("ca.tmth", "ca.pv01", "Lê Minh Tuấn", "Trung tá, Phó Trưởng phòng Tham mưu", _JOINT),
    UserSpec(
        "ca.pc04.chihuy",
        "ca.pc04",
        "Phạm Quốc Việt",
        "Thượng tá, Trưởng phòng PC04",
        _COMMANDER,
        clearance=_TM,
    ),
    UserSpec(
        "ca.pc04.canbo",
        "ca.pc04",
        "Hoàng Đức Anh",
        "Đại úy, Điều tra viên Phòng PC04",
        _OFFICER,
        clearance=_M,
    ),
    UserSpec(
        "ca.son-kim-1.chihuy",
        "ca.son-kim-1",
        "Võ Văn Hải",
        "Thiếu tá, Trưởng Công an xã Sơn Kim 1",
        _COMMANDER,
    ),
    UserSpec(
        "ca.son-kim-1.canbo",
        "ca.son-kim-1",
        "Đặng Thị Lan",
        "Thượng úy, cán bộ Công an xã Sơn Kim 1",
        _OFFICER,
    ),
    UserSpec(
        "ca.thien-cam.canbo",
        "ca.thien-cam",
        "Bùi Văn Nam",
        "Đại úy, cán bộ Công an xã Thiên Cầm",
        _OFFICER,
    ),
    # Quân sự
    UserSpec(
        "qs.tinh.chihuy",
        "qs.tinh",
        "Trần Quang Minh",
        "Đại tá, Phó Chỉ huy trưởng Bộ CHQS tỉnh",
        _COMMANDER,
    ),
    UserSpec(
        "qs.tinh.canbo",
        "qs.tham-muu",
        "Nguyễn Thị Thu Trang",
        "Thiếu tá, trợ lý Phòng Tham mưu",
        _OFFICER,
    ),
    UserSpec("qs.tmth", "qs.tham-muu", "Phan Văn Dũng", "Trung tá, Phó Tham mưu trưởng", _JOINT),
    UserSpec(
        "qs.ptkv-1.chihuy",
        "qs.ptkv-1",
        "Lê Văn Cường",
        "Thượng tá, Chỉ huy trưởng Ban CHPTKV 1",
        _COMMANDER,
    ),
    UserSpec(
        "qs.thien-cam.chihuy",
        "qs.thien-cam",
        "Ngô Văn Tùng",
        "Thiếu tá, Chỉ huy trưởng Ban CHQS xã Thiên Cầm",
        _COMMANDER,
    ),
    UserSpec(
        "qs.thien-cam.canbo",
        "qs.thien-cam",
        "Hồ Thị Mai",
        "Trung úy, trợ lý Ban CHQS xã Thiên Cầm",
        _OFFICER,
    ),
    # Biên phòng
    UserSpec(
        "bp.tinh.chihuy",
        "bp.tinh",
        "Đinh Xuân Trường",
        "Đại tá, Phó Chỉ huy trưởng Ban Chỉ huy BĐBP tỉnh",
        _COMMANDER,
        clearance=_M,
    ),
    UserSpec(
        "bp.tinh.canbo",
        "bp.tinh",
        "Nguyễn Hữu Phước",
        "Thiếu tá, trợ lý Phòng Trinh sát",
        _OFFICER,
    ),
    UserSpec("bp.tmth", "bp.tinh", "Trần Đình Khoa", "Trung tá, trợ lý Phòng Tham mưu", _JOINT),
    UserSpec(
        "bp.cau-treo.chihuy",
        "bp.cau-treo",
        "Lê Hồng Sơn",
        "Trung tá, Đồn trưởng Đồn BP CKQT Cầu Treo",
        _COMMANDER,
    ),
    UserSpec(
        "bp.cau-treo.canbo",
        "bp.cau-treo",
        "Vương Đình Phú",
        "Đại úy, cán bộ Đồn BP CKQT Cầu Treo",
        _OFFICER,
    ),
    UserSpec(
        "bp.thien-cam.canbo",
        "bp.thien-cam",
        "Thái Văn Lực",
        "Thượng úy, cán bộ Đồn BP Thiên Cầm",
        _OFFICER,
    ),
)

SCENARIO = Scenario(
    province_code="42",
    province_name="Tỉnh Hà Tĩnh",
    communes=COMMUNES,
    units=(*POLICE, *MILITARY, *BORDER_GUARD),
    moves=MOVES,
    users=USERS,
)
