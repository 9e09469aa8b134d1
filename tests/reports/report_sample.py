"""A coordination report built by hand (no database): the demo province's quý III năm 2024 with
the reference figures, comparisons, a breakdown of cases, a table, three signers (a joint report)
and the recipients. The renderers' tests work from it; the wording is ours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from phoihop.reports.document import (
    Figure,
    FigureKind,
    Paragraph,
    Provenance,
    Report,
    Section,
    Signer,
    Table,
)

GENERATED_AT = dt.datetime(2024, 10, 15, 8, 30, tzinfo=dt.UTC)


def sample_report(*, classification: int = 0, signers: int = 3) -> Report:
    sections = [
        Section(
            key="exchange",
            title="I. Công tác trao đổi thông tin, phối hợp xác minh",
            paragraphs=[
                Paragraph(
                    "Trong kỳ, ba lực lượng đã trao đổi 207 tin liên quan đến tình hình an ninh "
                    "biên giới, biển, đảo và người nước ngoài trên địa bàn, tăng 27 tin (15%) so "
                    "với cùng kỳ năm 2023.",
                    ["exchange.items"],
                ),
            ],
            figures=[
                Figure(
                    "exchange.items",
                    "Số tin trao đổi giữa các lực lượng",
                    207,
                    unit="tin",
                    previous=190,
                    last_year=180,
                    provenance=[Provenance("exchange.infoitem", ("a1", "a2"), "/exchange/")],
                ),
                Figure(
                    "exchange.acknowledged_on_time",
                    "Tỷ lệ tin được xác nhận đúng hạn",
                    Decimal("96.5"),
                    kind=FigureKind.PERCENT,
                    unit="%",
                    previous=Decimal("94.0"),
                ),
            ],
            # As the assembler writes it: the section's figures again as a table (drawn once).
            tables=[
                Table(
                    title="I. Công tác trao đổi thông tin, phối hợp xác minh",
                    columns=["Chỉ tiêu", "Đơn vị tính", "Kỳ báo cáo"],
                    rows=[
                        ["Số tin trao đổi giữa các lực lượng", "tin", 207],
                        ["Tỷ lệ tin được xác nhận đúng hạn", "%", Decimal("96.5")],
                    ],
                )
            ],
        ),
        Section(
            key="mobilisation",
            title="II. Công tác vận động quần chúng",
            paragraphs=[
                Paragraph(
                    "Các lực lượng tổ chức 252 diễn đàn lắng nghe ý kiến Nhân dân, tiếp nhận "
                    "3.429 ý kiến đóng góp về an ninh, trật tự.",
                    ["mobilisation.forums", "mobilisation.opinions"],
                ),
            ],
            figures=[
                Figure("mobilisation.forums", "Số diễn đàn", 252, unit="diễn đàn", previous=240),
                Figure(
                    "mobilisation.opinions",
                    "Số ý kiến tiếp nhận",
                    3429,
                    unit="ý kiến",
                    previous=3100,
                    last_year=2985,
                ),
            ],
        ),
        Section(
            key="crime",
            title="III. Công tác phối hợp đấu tranh phòng, chống tội phạm",
            paragraphs=[
                Paragraph(
                    "Lực lượng Công an, Bộ đội Biên phòng phát hiện, bắt giữ, xử lý 200 vụ/226 "
                    "đối tượng và 01 tổ chức; thu giữ 11,09 gam heroin, 1.508 viên ma túy tổng "
                    "hợp, 16,476 m3 gỗ các loại.",
                    ["cases.count", "cases.subjects", "cases.organisations"],
                ),
            ],
            figures=[
                Figure(
                    "cases.count",
                    "Số vụ phát hiện, bắt giữ, xử lý",
                    200,
                    unit="vụ",
                    previous=185,
                    last_year=188,
                ),
                Figure("cases.subjects", "Số đối tượng", 226, unit="đối tượng", last_year=230),
                Figure("cases.organisations", "Số tổ chức", 1, unit="tổ chức", last_year=0),
                Figure(
                    "cases.seized.heroin",
                    "Heroin thu giữ",
                    Decimal("11.09"),
                    kind=FigureKind.QUANTITY,
                    unit="gam heroin",
                    last_year=Decimal("25.5"),
                ),
                Figure(
                    "cases.seized.pills",
                    "Ma túy tổng hợp thu giữ",
                    1508,
                    kind=FigureKind.QUANTITY,
                    unit="viên ma túy tổng hợp",
                    last_year=1200,
                ),
                Figure(
                    "cases.seized.timber",
                    "Gỗ thu giữ",
                    Decimal("16.476"),
                    kind=FigureKind.QUANTITY,
                    unit="m3 gỗ các loại",
                ),
                Figure("cases.category.drugs", "Ma túy", 58, unit="vụ"),
                Figure("cases.category.smuggling", "Buôn lậu, gian lận thương mại", 71, unit="vụ"),
                Figure("cases.category.environment", "Môi trường, lâm sản", 39, unit="vụ"),
                Figure("cases.category.explosives", "Vũ khí, vật liệu nổ, pháo", 32, unit="vụ"),
                Figure("cases.lead_force.CA", "Công an", 131, unit="vụ"),
                Figure("cases.lead_force.BP", "Bộ đội Biên phòng", 69, unit="vụ"),
            ],
            tables=[
                Table(
                    title="Kết quả đấu tranh theo lĩnh vực",
                    columns=["Lĩnh vực", "Số vụ", "Số đối tượng", "Tiền phạt (đồng)"],
                    rows=[
                        ["Ma túy", 58, 71, 0],
                        ["Buôn lậu, gian lận thương mại", 71, 80, 1250000000],
                        ["Môi trường, lâm sản", 39, 41, Decimal("385500000")],
                        ["Vũ khí, vật liệu nổ, pháo", 32, 34, 96000000],
                    ],
                )
            ],
        ),
        Section(
            key="surrender",
            title="IV. Vận động giao nộp vũ khí, vật liệu nổ",
            figures=[
                Figure(
                    "surrender.coverage",
                    "Tỷ lệ xã, phường phát động",
                    100,
                    kind=FigureKind.PERCENT,
                    unit="%",
                ),
                Figure(
                    "surrender.explosives",
                    "Thuốc nổ giao nộp",
                    Decimal("2.4"),
                    kind=FigureKind.QUANTITY,
                    unit="kg thuốc nổ",
                ),
                Figure("surrender.guns", "Súng giao nộp", 92, unit="khẩu súng các loại"),
            ],
            paragraphs=[
                Paragraph(
                    "Phát động tại 100% xã, phường; thu hồi 2,4 kg thuốc nổ, 92 khẩu súng các loại."
                )
            ],
        ),
        Section(
            key="limitations",
            title="V. Hạn chế",
            paragraphs=[
                Paragraph(
                    "Còn 03 đơn vị cấp xã nộp báo cáo chậm; kết quả đấu tranh trên tuyến biển "
                    "giảm 05 vụ so với cùng kỳ năm 2023."
                )
            ],
        ),
    ]
    all_signers = [
        Signer(
            "KT. CHỈ HUY TRƯỞNG / PHÓ CHỈ HUY TRƯỞNG",
            "Trần Văn Sơn",
            "Đại tá",
            "BỘ CHỈ HUY QUÂN SỰ TỈNH",
        ),
        Signer("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", "Lê Văn Hùng", "Đại tá", "CÔNG AN TỈNH"),
        Signer(
            "KT. CHỈ HUY TRƯỞNG / PHÓ CHỈ HUY TRƯỞNG",
            "Dương Minh Hải",
            "Đại tá",
            "BỘ CHỈ HUY BỘ ĐỘI BIÊN PHÒNG TỈNH",
        ),
    ]
    return Report(
        area_code="42",
        area_name="Tỉnh Hà Tĩnh",
        period_key="2024-Q3",
        period_label="quý III năm 2024",
        start=dt.date(2024, 6, 15),
        end=dt.date(2024, 9, 14),
        rule="decree09",
        generated_at=GENERATED_AT,
        title=(
            "BÁO CÁO Kết quả công tác phối hợp giữa lực lượng Công an, Quân sự, Biên phòng "
            "quý III năm 2024"
        ),
        issuer="BAN CHỈ ĐẠO PHỐI HỢP\nCÔNG AN - QUÂN SỰ - BIÊN PHÒNG TỈNH",
        number="Số: 15/BC-BCĐ",
        place="Hà Tĩnh",
        classification=classification,
        sections=sections,
        signers=all_signers[:signers],
        recipients=[
            "Bộ Công an, Bộ Quốc phòng (để báo cáo)",
            "Thường trực Tỉnh ủy, UBND tỉnh (để báo cáo)",
            "Công an tỉnh, Bộ CHQS tỉnh, Bộ CHBĐBP tỉnh",
            "Lưu: VT, BCĐ",
        ],
    )
