"""Information exchanged between the three forces of the demo province, as generator data.

`phoihop_dev.demo.exchange` turns this into information items, receipts, replies and verification
requests with `random.Random(seed)`: the same data always gives the same records. Places are
named as they were before the 2025 reform (the items are from 2023 and 2024) and tied to the
2025 commune that now covers them, which becomes the item's area. Every event is illustrative:
no item describes a real person or case.

The quarters are reporting periods under Nghị định 09/2019/NĐ-CP (15th of the month before the
quarter to the 14th of its last month). The 207 items of quý III năm 2024 are the figure of the
reference report; the earlier quarters are there to compare with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Quarter:
    key: str
    start: dt.date  # first day, inclusive, local time
    end: dt.date  # last day, inclusive
    items: int
    seed: int
    # Share of receipts acknowledged on time and late (the rest never); exchange got faster.
    ack_on_time: float
    ack_late: float
    # Share of items with a verification request, and of those answered on time and late.
    verification: float
    answered_on_time: float
    answered_late: float


QUARTERS = (
    Quarter(
        "2023-q3", dt.date(2023, 6, 15), dt.date(2023, 9, 14), items=188, seed=20233,
        ack_on_time=0.78, ack_late=0.17,
        verification=0.15, answered_on_time=0.70, answered_late=0.20,
    ),
    Quarter(
        "2024-q2", dt.date(2024, 3, 15), dt.date(2024, 6, 14), items=196, seed=20242,
        ack_on_time=0.84, ack_late=0.13,
        verification=0.16, answered_on_time=0.75, answered_late=0.17,
    ),
    Quarter(
        "2024-q3", dt.date(2024, 6, 15), dt.date(2024, 9, 14), items=207, seed=20243,
        ack_on_time=0.89, ack_late=0.09,
        verification=0.18, answered_on_time=0.72, answered_late=0.13,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class DutyUser:
    """A duty officer (trực ban) of a unit that the organisation scenario gave no user, so that
    the unit can send and acknowledge. An author of the history, not a demo login: created
    without a password (an administrator may set one)."""

    unit: str
    full_name: str
    rank_title: str

    @property
    def username(self) -> str:
        return f"{self.unit}.trucban"


DUTY_USERS = (
    DutyUser("ca.pc02", "Trịnh Văn Hòa", "Thiếu tá, cán bộ Phòng PC02"),
    DutyUser("ca.pa08", "Lê Thị Thanh Hà", "Đại úy, cán bộ Phòng PA08"),
    DutyUser("ca.son-kim-2", "Nguyễn Văn Bình", "Trung úy, cán bộ Công an xã Sơn Kim 2"),
    DutyUser("qs.son-kim-1", "Phan Đình Toàn", "Chỉ huy phó Ban CHQS xã Sơn Kim 1"),
    DutyUser("qs.son-kim-2", "Hoàng Văn Lợi", "Chỉ huy phó Ban CHQS xã Sơn Kim 2"),
    DutyUser("bp.son-hong", "Đậu Văn Hùng", "Đại úy, trực ban Đồn BP Sơn Hồng"),
    DutyUser("bp.huong-quang", "Trần Văn Đức", "Thượng úy, trực ban Đồn BP Hương Quang"),
    DutyUser("bp.ban-giang", "Nguyễn Văn Quý", "Đại úy, trực ban Đồn BP Bản Giàng"),
    DutyUser("bp.lach-ken", "Lê Văn Sáng", "Thượng úy, trực ban Đồn BP Lạch Kèn"),
    DutyUser("bp.cua-sot", "Phạm Văn Hiếu", "Đại úy, trực ban Đồn BP Cửa Sót"),
    DutyUser("bp.ky-khang", "Võ Văn Thành", "Thượng úy, trực ban Đồn BP Kỳ Khang"),
    DutyUser("bp.vung-ang", "Dương Văn Thịnh", "Thiếu tá, trực ban BCH BP CKC Vũng Áng"),
    DutyUser("bp.deo-ngang", "Nguyễn Đình Long", "Đại úy, trực ban Đồn BP Đèo Ngang"),
    DutyUser("bp.hai-doi-2", "Bùi Văn Hải", "Đại úy, trực ban Hải đội BP 2"),
)

# Units that send information, with a weight (how much they send). District units are left out:
# they have since ended and can no longer be named as recipients.
SENDERS = {
    "bp.cau-treo": 14,
    "bp.son-hong": 7,
    "bp.huong-quang": 6,
    "bp.ban-giang": 6,
    "bp.lach-ken": 4,
    "bp.cua-sot": 5,
    "bp.thien-cam": 5,
    "bp.ky-khang": 4,
    "bp.vung-ang": 6,
    "bp.deo-ngang": 4,
    "bp.hai-doi-2": 4,
    "bp.tinh": 6,
    "ca.pv01": 7,
    "ca.pc02": 6,
    "ca.pc04": 9,
    "ca.pa08": 6,
    "ca.son-kim-1": 6,
    "ca.son-kim-2": 4,
    "qs.tham-muu": 11,
    "qs.son-kim-1": 6,
    "qs.son-kim-2": 4,
}

# The provincial unit of each force that receives by topic when no local unit is named.
PROVINCIAL = {
    "CA": {
        "drugs": "ca.pc04",
        "foreigners": "ca.pa08",
        "migration": "ca.pa08",
        "trafficking": "ca.pc02",
        "public_order": "ca.pc02",
        "weapons": "ca.pc02",
        "": "ca.pv01",
    },
    "QS": {"": "qs.tham-muu"},
    "BP": {"": "bp.tinh"},
}


@dataclass(frozen=True)
class Place:
    """What a title may name in a 2025 commune, as it was called in 2023–2024.

    `locality` where people live or things happen, `crossing` where people and goods pass (a
    border trail, a border gate, a river mouth, a port), `sea` waters off the coast.
    """

    kind: str  # "border" (land border with Laos), "coast" or "inland"
    locality: tuple[str, ...]
    crossing: tuple[str, ...] = ()
    sea: tuple[str, ...] = ()


PLACES = {
    "son-kim-1": Place(
        "border",
        ("xã Sơn Kim 1, huyện Hương Sơn",),
        ("đường mòn biên giới khu vực xã Sơn Kim 1", "Cửa khẩu Quốc tế Cầu Treo"),
    ),
    "son-kim-2": Place(
        "border",
        ("xã Sơn Kim 2, huyện Hương Sơn",),
        ("đường mòn biên giới khu vực xã Sơn Kim 2",),
    ),
    "son-hong": Place(
        "border",
        ("xã Sơn Hồng, huyện Hương Sơn",),
        ("đường mòn biên giới khu vực xã Sơn Hồng",),
    ),
    "vu-quang": Place(
        "border",
        ("huyện Vũ Quang", "khu vực Vườn quốc gia Vũ Quang"),
        ("tuyến biên giới huyện Vũ Quang",),
    ),
    "huong-xuan": Place(
        "border",
        ("các xã biên giới huyện Hương Khê",),
        ("đường mòn biên giới khu vực Bản Giàng",),
    ),
    "phuc-trach": Place(
        "border", ("xã Phúc Trạch, huyện Hương Khê",), ("tuyến biên giới huyện Hương Khê",)
    ),
    "huong-son": Place("inland", ("thị trấn Tây Sơn, huyện Hương Sơn",)),
    "thanh-sen": Place("inland", ("thành phố Hà Tĩnh",)),
    "tran-phu": Place("inland", ("phường Trần Phú, thành phố Hà Tĩnh",)),
    "dan-hai": Place(
        "coast",
        ("các xã ven biển huyện Nghi Xuân",),
        ("cửa Lạch Kèn",),
        ("vùng biển huyện Nghi Xuân",),
    ),
    "loc-ha": Place(
        "coast",
        ("các xã ven biển huyện Lộc Hà",),
        ("cửa biển Cửa Sót",),
        ("vùng biển huyện Lộc Hà",),
    ),
    "thien-cam": Place(
        "coast",
        ("thị trấn Thiên Cầm, huyện Cẩm Xuyên",),
        ("cửa Nhượng",),
        ("vùng biển Thiên Cầm",),
    ),
    "ky-khang": Place("coast", ("xã Kỳ Khang, huyện Kỳ Anh",), (), ("vùng biển xã Kỳ Khang",)),
    "vung-ang": Place(
        "coast",
        ("Khu kinh tế Vũng Áng, thị xã Kỳ Anh",),
        ("cảng biển Vũng Áng", "cảng Sơn Dương"),
        ("vùng biển Vũng Áng – Sơn Dương",),
    ),
    "hoanh-son": Place(
        "coast",
        ("khu vực Đèo Ngang, thị xã Kỳ Anh",),
        ("quốc lộ 1 qua Đèo Ngang",),
        ("vùng biển Hoành Sơn",),
    ),
}

# How often each force reports on each topic.
TOPIC_WEIGHTS = {
    "BP": {
        "border": 16, "drugs": 14, "smuggling": 14, "migration": 10, "foreigners": 8, "sea": 12,
        "trafficking": 5, "weapons": 4, "ethnic": 4, "religion": 3, "disasters": 6,
        "public_order": 3, "other": 1,
    },
    "CA": {
        "drugs": 18, "public_order": 16, "foreigners": 10, "trafficking": 9, "migration": 8,
        "religion": 7, "smuggling": 8, "weapons": 6, "ethnic": 4, "border": 3, "disasters": 3,
        "sea": 2, "other": 2,
    },
    "QS": {
        "weapons": 14, "disasters": 16, "border": 10, "ethnic": 8, "religion": 8, "sea": 8,
        "public_order": 6, "drugs": 6, "smuggling": 6, "foreigners": 5, "migration": 4,
        "trafficking": 2, "other": 7,
    },
}  # fmt: skip

_ANY = "border coast inland"

# Provincial police departments report on their own line of work only.
UNIT_TOPIC_WEIGHTS = {
    "ca.pc04": {"drugs": 1},
    "ca.pa08": {"foreigners": 6, "migration": 5, "trafficking": 1},
    "ca.pc02": {"public_order": 6, "trafficking": 3, "weapons": 3, "smuggling": 2},
}

# Titles by topic: (kinds of commune the title fits, template). {n} is a count written as in
# official texts (02), {nat} a nationality, {locality}, {crossing} and {sea} a place above.
TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    "border": (
        ("border", "Phát hiện {n} đối tượng lạ hoạt động tại {crossing}"),
        ("border", "Người, phương tiện qua lại {crossing} tăng bất thường"),
        ("border", "Phát hiện dấu hiệu xâm phạm đường biên, mốc quốc giới tại {crossing}"),
        (
            "border",
            "Kết quả tuần tra song phương với lực lượng bảo vệ biên giới Lào tại {crossing}",
        ),
        ("border", "Phát hiện {n} công dân Lào vào {locality} không có giấy tờ"),
    ),
    "drugs": (
        ("border", "Phát hiện {n} đối tượng nghi vận chuyển ma túy qua {crossing}"),
        (_ANY, "Nguồn tin về đường dây mua bán ma túy tổng hợp tại {locality}"),
        (_ANY, "Phát hiện {n} đối tượng nghi sử dụng trái phép chất ma túy tại {locality}"),
        (_ANY, "Đối tượng có tiền án về ma túy trở về cư trú tại {locality}"),
        ("coast", "Nghi vấn vận chuyển ma túy bằng tàu cá qua {crossing}"),
    ),
    "smuggling": (
        ("border", "Phát hiện {n} đối tượng vận chuyển thuốc lá điếu nhập lậu qua {crossing}"),
        ("border", "Buôn bán gỗ, động vật hoang dã trái phép qua {crossing}"),
        ("border", "Phát hiện {n} xe tải nghi chở hàng nhập lậu qua {crossing}"),
        ("coast", "Phát hiện tàu cá chở xăng dầu không rõ nguồn gốc tại {sea}"),
        (_ANY, "Nguồn tin về nhóm đối tượng tập kết pháo nổ tại {locality}"),
    ),
    "foreigners": (
        (_ANY, "Phát hiện {n} người nước ngoài ({nat}) lưu trú không khai báo tại {locality}"),
        (_ANY, "Đoàn {n} người nước ngoài ({nat}) vào làm việc tại {locality}"),
        (_ANY, "Người nước ngoài ({nat}) có biểu hiện nghi vấn tại {locality}"),
        ("coast", "Thuyền viên nước ngoài ({nat}) rời tàu không làm thủ tục tại {crossing}"),
    ),
    "sea": (
        ("coast", "Phát hiện {n} tàu cá lạ neo đậu tại {sea}"),
        ("coast", "Phát hiện {n} tàu cá tắt thiết bị giám sát hành trình tại {sea}"),
        ("coast", "Khai thác thủy sản bằng xung điện, chất nổ tại {sea}"),
        ("coast", "Tàu cá của ngư dân mất liên lạc khi hoạt động tại {sea}"),
    ),
    "religion": (
        (_ANY, "Hoạt động truyền đạo trái phép tại {locality}"),
        (_ANY, "Phát hiện {n} đối tượng tuyên truyền “đạo lạ” tại {locality}"),
        (_ANY, "Tụ tập đông người sinh hoạt tôn giáo không đăng ký tại {locality}"),
    ),
    "ethnic": (
        ("border", "Đồng bào dân tộc thiểu số qua lại thăm thân không làm thủ tục qua {crossing}"),
        ("border inland", "Phát hiện {n} hộ đồng bào dân tộc thiểu số di cư tự do đến {locality}"),
        ("border", "Tranh chấp đất rừng trong đồng bào dân tộc thiểu số tại {locality}"),
    ),
    "trafficking": (
        (_ANY, "Nguồn tin về đối tượng môi giới đưa phụ nữ sang Lào lao động tại {locality}"),
        ("border", "Phát hiện {n} phụ nữ nghi bị dụ dỗ đưa qua biên giới tại {crossing}"),
        (_ANY, "Đối tượng nghi tuyển người đi lao động nước ngoài trái phép tại {locality}"),
    ),
    "migration": (
        ("border", "Phát hiện {n} công dân xuất cảnh trái phép qua {crossing}"),
        ("border", "Tiếp nhận {n} công dân Việt Nam do phía Lào trao trả qua {crossing}"),
        (_ANY, "Nguồn tin về đường dây đưa người xuất cảnh trái phép tại {locality}"),
        ("coast", "Nghi vấn đưa người xuất cảnh trái phép bằng đường biển qua {crossing}"),
    ),
    "weapons": (
        (_ANY, "Phát hiện {n} quả bom, đạn còn sót lại sau chiến tranh tại {locality}"),
        (_ANY, "Nguồn tin về đối tượng tàng trữ súng tự chế tại {locality}"),
        (_ANY, "Phát hiện đối tượng mua bán kíp nổ, dây cháy chậm tại {locality}"),
    ),
    "disasters": (
        ("border inland", "Nguy cơ sạt lở đất đe dọa khu dân cư tại {locality}"),
        (_ANY, "Mưa lớn gây ngập úng, chia cắt tại {locality}"),
        (
            "coast",
            "Áp thấp nhiệt đới: kêu gọi tàu thuyền đang hoạt động tại {sea} vào nơi tránh trú",
        ),
        ("border inland", "Cháy rừng tại {locality}"),
    ),
    "public_order": (
        (_ANY, "Xô xát giữa hai nhóm thanh niên tại {locality}"),
        (_ANY, "Tụ tập đông người liên quan giải phóng mặt bằng tại {locality}"),
        (_ANY, "Hoạt động cho vay lãi nặng, đòi nợ thuê tại {locality}"),
        (_ANY, "Tai nạn giao thông làm {n} người bị thương tại {locality}"),
    ),
    "other": (
        (_ANY, "Đề nghị phối hợp bảo vệ đoàn công tác tại {locality}"),
        (_ANY, "Kế hoạch diễn tập khu vực phòng thủ tại {locality}"),
    ),
}

NATIONALITIES = ("Lào", "Lào", "Lào", "Trung Quốc", "Thái Lan", "Hàn Quốc")

# The body of an item: how it was learnt, what was done, what is asked of the recipients.
OPENINGS = (
    "Qua công tác nắm tình hình địa bàn, {sender} ghi nhận: {event}.",
    "Qua nguồn tin cơ sở, {sender} được biết: {event}.",
    "Tổ công tác của {sender} trong khi tuần tra, kiểm soát phát hiện: {event}.",
    "Qua trao đổi với chính quyền và Nhân dân địa phương, {sender} nắm được: {event}.",
)
FOLLOW_UPS = (
    "Đơn vị đã bố trí lực lượng theo dõi, nắm chắc tình hình.",
    "Đơn vị đang tiếp tục xác minh, làm rõ.",
    "Đơn vị đã báo cáo cấp trên và duy trì lực lượng tại khu vực.",
    "Đơn vị đã lập biên bản ban đầu, giữ nguyên hiện trường.",
)
REQUESTS = (
    "Đề nghị các đơn vị phối hợp nắm tình hình, thông báo kết quả cho đơn vị.",
    "Đề nghị các đơn vị chỉ đạo lực lượng tại địa bàn phối hợp kiểm tra.",
    "Thông báo để các đơn vị biết, phối hợp quản lý địa bàn.",
    "Đề nghị các đơn vị cung cấp thông tin liên quan (nếu có).",
)
REPLIES = (
    "Đã nhận thông tin; đơn vị đã chỉ đạo lực lượng tại địa bàn nắm tình hình.",
    "Đã tiếp nhận. Đơn vị sẽ phối hợp xác minh và thông báo kết quả.",
    "Đơn vị đã cử tổ công tác phối hợp kiểm tra tại khu vực.",
    "Đã nhận. Qua rà soát, đơn vị chưa có thông tin liên quan; tiếp tục theo dõi.",
    "Đơn vị đã thông báo cho Công an, Quân sự xã phối hợp nắm tình hình.",
)
THANKS = (
    "Cảm ơn đồng chí; đề nghị tiếp tục theo dõi và thông báo khi có diễn biến mới.",
    "Đơn vị đã nhận phản hồi, sẽ trao đổi thêm khi có thông tin mới.",
)
QUESTIONS = (
    "Đề nghị xác minh nhân thân, lai lịch các đối tượng nêu trên.",
    "Đề nghị kiểm tra, xác minh tính chính xác của nguồn tin.",
    "Đề nghị xác minh nơi cư trú và mối quan hệ của các đối tượng liên quan.",
    "Đề nghị kiểm tra thực địa, xác định vị trí và mức độ của sự việc.",
)
FINDINGS = {
    "confirmed": (
        "Qua xác minh, thông tin đúng như đơn vị nêu; đã lập danh sách theo dõi.",
        "Kết quả kiểm tra thực địa khẳng định sự việc đúng như thông tin đã trao đổi.",
    ),
    "partly": (
        "Qua xác minh, thông tin đúng một phần: số đối tượng ít hơn so với nguồn tin.",
        "Sự việc có xảy ra nhưng quy mô, tính chất không như thông tin ban đầu.",
    ),
    "not_confirmed": (
        "Qua xác minh, không phát hiện dấu hiệu như thông tin đã nêu.",
        "Kiểm tra tại khu vực không có sự việc như nguồn tin phản ánh.",
    ),
    "cannot_verify": (
        "Các đối tượng đã rời khỏi địa bàn, chưa đủ cơ sở xác minh.",
        "Nguồn tin không cụ thể, chưa xác định được đối tượng để xác minh.",
    ),
}
CLOSING_NOTES = (
    "Đơn vị yêu cầu đã nhận kết quả xác minh.",
    "Kết thúc xác minh; đưa vào theo dõi chung.",
)
