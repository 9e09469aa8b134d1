"""The coordination report assembled from its figures: sections in the official order, sentences
around the figures, the limitations measured from the records and the tasks for the next period.

No sentence here states a number it did not get from a `Figure` of `figures.build_figures` or
from the measured facts beside them; a section whose figures are all zero is left out.

The forces the report names (title, opening sentence, tasks, one signature block each with its
head's title) are the province's (`org.forces`); its issuer, recipients, place and document
symbol come from `header.header_for` (the province's settings, then the installation's, then
what the province's forces and name give). The date is the local date (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import formats
from phoihop.org.forces import count_in_words, province_forces
from phoihop.org.models import ProvinceForce
from phoihop.reports.document import (
    Figure,
    FigureKind,
    Paragraph,
    Report,
    Section,
    Signer,
    Table,
    format_value,
)
from phoihop.reports.figures import FigureSet, build_figures
from phoihop.reports.header import Header, forces_phrase, header_for

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]

# Figures of the border section: taken out of the crime section so that each key is in one place.
_BORDER_KEYS = ("cases.domain.", "cases.category.migration", "cases.category.iuu", "patrols.")


class _Writer:
    def __init__(self, figures: FigureSet, header: Header) -> None:
        self.fs = figures
        self.header = header
        self.last_year_label = _("cùng kỳ năm %(year)s") % {
            "year": figures.period.same_period_last_year.year
        }
        self.previous_label = figures.period.previous.label

    # --- phrases

    def comparisons(self, figure: Figure, *, previous: bool = True) -> str:
        """Like ", tăng 12 vụ (6,4%) so với cùng kỳ năm 2023 và …"; empty for shares."""
        if figure.kind is FigureKind.PERCENT:
            return ""
        parts = []
        references = [(figure.last_year, self.last_year_label)]
        if previous:
            references.append((figure.previous, self.previous_label))
        for before, against in references:
            if before is None:
                continue
            delta = abs(Decimal(figure.value) - Decimal(before))
            parts.append(
                formats.comparison(
                    before,
                    figure.value,
                    delta_text=format_value(delta, figure.kind, figure.unit),
                    against=against,
                )
            )
        return ", " + _(" và ").join(parts) if parts else ""

    def cite(self, key: str) -> str:
        figure = self.fs.get(key)
        return "" if figure is None else figure.text()

    def sentence(self, lead: str, key: str) -> Paragraph | None:
        figure = self.fs.get(key)
        if figure is None or not figure.value:
            return None
        return Paragraph(f"{lead} {figure.text()}{self.comparisons(figure)}.", figures=[key])

    def detail(self, figures: Iterable[Figure], intro: str) -> Paragraph | None:
        shown = [f for f in figures if f.value]
        if not shown:
            return None
        lines = [f"- {f.label}: {f.text()}{self.comparisons(f)};" for f in shown[:-1]] + [
            f"- {shown[-1].label}: {shown[-1].text()}{self.comparisons(shown[-1])}."
        ]
        return Paragraph(intro + "\n" + "\n".join(lines), figures=[f.key for f in shown])

    def table(self, title: str, figures: list[Figure]) -> Table:
        rows: list[list[Any]] = []
        for f in figures:
            change = f.vs_last_year
            rows.append(
                [
                    f.label,
                    f.unit,
                    f.value,
                    f.previous if f.previous is not None else "",
                    f.last_year if f.last_year is not None else "",
                    "" if change is None else change.delta,
                ]
            )
        return Table(
            title=title,
            columns=[
                _("Chỉ tiêu"),
                _("Đơn vị tính"),
                _("Kỳ báo cáo"),
                _("Kỳ trước"),
                _("Cùng kỳ năm trước"),
                _("Tăng (+), giảm (-) so với cùng kỳ"),
            ],
            rows=rows,
        )

    def section(
        self,
        key: str,
        title: str,
        figures: list[Figure],
        paragraphs: list[Paragraph | None],
    ) -> Section | None:
        if not any(f.value for f in figures):
            return None
        kept = [p for p in paragraphs if p is not None]
        # A line that is nothing now, nothing before and nothing a year ago says nothing.
        shown = [f for f in figures if f.value or f.previous or f.last_year]
        return Section(
            key=key,
            title=title,
            paragraphs=kept,
            figures=shown,
            tables=[self.table(title, shown)],
        )

    # --- sections in the official order

    def overview(self) -> Section | None:
        fs = self.fs
        highlights = [
            (key, fs.get(key))
            for key in ("exchange.items", "cases.count", "mobilisation.forums", "wanted.arrested")
        ]
        present = [(k, f) for k, f in highlights if f is not None and f.value]
        if not present:
            return None
        text = _(
            "Trong %(period)s (số liệu từ ngày %(start)s đến ngày %(end)s), lực lượng %(forces)s "
            "trên địa bàn %(area)s tiếp tục duy trì chặt chẽ quy chế "
            "phối hợp, chủ động nắm tình hình, trao đổi thông tin và phối hợp giải quyết các vụ "
            "việc phát sinh, góp phần giữ vững an ninh chính trị, trật tự an toàn xã hội."
        ) % {
            "period": fs.period.label,
            "forces": forces_phrase(self.header.forces),
            "start": formats.date(fs.start),
            "end": formats.date(fs.end),
            "area": _lower_first(area_name(fs)),
        }
        paragraphs = [Paragraph(text)]
        summary = []
        if fs.value("exchange.items"):
            summary.append(_("trao đổi %(n)s") % {"n": self.cite("exchange.items")})
        if fs.value("mobilisation.forums"):
            summary.append(
                _("tổ chức %(n)s lắng nghe ý kiến Nhân dân")
                % {"n": self.cite("mobilisation.forums")}
            )
        if fs.value("cases.count"):
            summary.append(
                _("phát hiện, bắt giữ, xử lý %(cases)s/%(persons)s")
                % {"cases": self.cite("cases.count"), "persons": self.cite("cases.persons")}
                + (
                    _(" và %(n)s") % {"n": self.cite("cases.organisations")}
                    if fs.value("cases.organisations")
                    else ""
                )
            )
        if fs.value("wanted.arrested"):
            summary.append(_("bắt, vận động đầu thú %(n)s") % {"n": self.cite("wanted.arrested")})
        if summary:
            paragraphs.append(
                Paragraph(
                    _("Kết quả nổi bật: các lực lượng đã %(list)s.") % {"list": "; ".join(summary)},
                    figures=[k for k, _f in present],
                )
            )
        return Section(key="overview", title=_("Tình hình chung"), paragraphs=paragraphs)

    def exchange(self) -> Section | None:
        fs = self.fs
        figures = fs.starting("exchange.")
        by_force = [f for f in figures if f.key.startswith("exchange.items.")]
        timeliness = []
        if fs.get("exchange.ack.received"):
            timeliness.append(
                Paragraph(
                    _(
                        "Các đơn vị đã tiếp nhận %(received)s thông tin từ lực lượng bạn, tỷ lệ "
                        "xác nhận tiếp nhận đúng hạn đạt %(share)s."
                    )
                    % {
                        "received": self.cite("exchange.ack.received"),
                        "share": self.cite("exchange.ack.on_time_share"),
                    },
                    figures=["exchange.ack.received", "exchange.ack.on_time_share"],
                )
            )
        if fs.get("exchange.verify.requested"):
            timeliness.append(
                Paragraph(
                    _(
                        "Các lực lượng đã đề nghị nhau kiểm tra, xác minh %(requested)s, tỷ lệ "
                        "có kết quả xác minh đúng hạn đạt %(share)s."
                    )
                    % {
                        "requested": self.cite("exchange.verify.requested"),
                        "share": self.cite("exchange.verify.on_time_share"),
                    },
                    figures=["exchange.verify.requested", "exchange.verify.on_time_share"],
                )
            )
        return self.section(
            "exchange",
            _("Công tác trao đổi thông tin, phối hợp kiểm tra, xác minh"),
            figures,
            [
                self.sentence(_("Các lực lượng đã trao đổi, cung cấp cho nhau"), "exchange.items"),
                self.detail(by_force, _("Theo lực lượng:")),
                *timeliness,
            ],
        )

    def mobilisation(self) -> Section | None:
        fs = self.fs
        figures = fs.starting("mobilisation.")
        forums = fs.get("mobilisation.forums")
        paragraphs: list[Paragraph | None] = []
        if forums is not None and forums.value:
            paragraphs.append(
                Paragraph(
                    _(
                        "Phối hợp tổ chức %(forums)s “Diễn đàn Công an lắng nghe ý kiến Nhân "
                        "dân”%(cmp)s, "
                        "với %(attendees)s tham dự; tiếp nhận %(opinions)s%(cmp_opinions)s."
                    )
                    % {
                        "forums": forums.text().removesuffix(" " + forums.unit),
                        "cmp": self.comparisons(forums),
                        "attendees": self.cite("mobilisation.attendees"),
                        "opinions": self.cite("mobilisation.opinions"),
                        "cmp_opinions": self.comparisons(fs.get("mobilisation.opinions"))  # type: ignore[arg-type]
                        if fs.get("mobilisation.opinions")
                        else "",
                    },
                    figures=[
                        "mobilisation.forums",
                        "mobilisation.attendees",
                        "mobilisation.opinions",
                    ],
                )
            )
        paragraphs.append(
            self.detail(
                fs.starting("mobilisation.opinions.topic."), _("Ý kiến của Nhân dân theo nội dung:")
            )
        )
        paragraphs.append(
            self.sentence(
                _("Phối hợp tuyên truyền, phổ biến pháp luật"), "mobilisation.propaganda.sessions"
            )
        )
        paragraphs.append(
            self.detail(fs.starting("mobilisation.propaganda.law."), _("Theo văn bản pháp luật:"))
        )
        paragraphs.append(
            self.sentence(
                _("Triển khai các chương trình an sinh xã hội, hỗ trợ Nhân dân:"),
                "mobilisation.programmes",
            )
        )
        return self.section(
            "mobilisation", _("Công tác dân vận, xây dựng phong trào"), figures, paragraphs
        )

    def crime(self) -> Section | None:
        fs = self.fs
        figures = [
            f
            for f in fs.starting("cases.")
            if not any(f.key.startswith(prefix) for prefix in _BORDER_KEYS)
        ]
        count = fs.get("cases.count")
        paragraphs: list[Paragraph | None] = []
        if count is not None and count.value:
            parts = [self.cite("cases.count"), self.cite("cases.persons")]
            text = "/".join(parts)
            if fs.value("cases.organisations"):
                text += _(" và %(n)s") % {"n": self.cite("cases.organisations")}
            paragraphs.append(
                Paragraph(
                    _("Các lực lượng đã phối hợp phát hiện, bắt giữ, xử lý %(text)s%(cmp)s.")
                    % {"text": text, "cmp": self.comparisons(count)},
                    figures=["cases.count", "cases.persons", "cases.organisations"],
                )
            )
        if fs.value("cases.prosecuted") or fs.value("cases.sanctioned"):
            paragraphs.append(
                Paragraph(
                    _(
                        "Trong đó, khởi tố hình sự %(prosecuted)s; xử phạt vi phạm hành chính "
                        "%(sanctioned)s."
                    )
                    % {
                        "prosecuted": format_value(fs.value("cases.prosecuted"), "count", _("vụ")),
                        "sanctioned": format_value(fs.value("cases.sanctioned"), "count", _("vụ")),
                    },
                    figures=["cases.prosecuted", "cases.sanctioned"],
                )
            )
        paragraphs.append(self.detail(fs.starting("cases.category."), _("Theo lĩnh vực:")))
        paragraphs.append(
            self.detail(fs.starting("cases.lead_force."), _("Theo lực lượng chủ trì:"))
        )
        seized = fs.starting("cases.seized.")
        if any(f.value for f in seized):
            paragraphs.append(
                Paragraph(
                    _("Tang vật thu giữ gồm: %(items)s.")
                    % {"items": ", ".join(f.text() for f in seized if f.value)},
                    figures=[f.key for f in seized if f.value],
                )
            )
        return self.section(
            "crime", _("Công tác phối hợp đấu tranh phòng, chống tội phạm"), figures, paragraphs
        )

    def wanted(self) -> Section | None:
        return self.section(
            "wanted",
            _("Công tác truy bắt đối tượng truy nã"),
            [f for f in [self.fs.get("wanted.arrested")] if f is not None],
            [self.sentence(_("Phối hợp truy bắt, vận động đầu thú"), "wanted.arrested")],
        )

    def protection(self) -> Section | None:
        fs = self.fs
        figures = fs.starting("protection.")
        return self.section(
            "protection",
            _("Công tác bảo vệ các đoàn, sự kiện và mục tiêu trọng điểm"),
            figures,
            [
                self.sentence(_("Phối hợp bảo vệ tuyệt đối an toàn"), "protection.delegations"),
                self.sentence(_("Bảo đảm an ninh, trật tự cho"), "protection.events"),
                self.stated(_("Bảo vệ an toàn"), "protection.key_targets"),
            ],
        )

    def checkpoints(self) -> Section | None:
        fs = self.fs
        figures = fs.starting("checkpoints.") + fs.starting("zones.")
        return self.section(
            "checkpoints",
            _("Công tác chốt kiểm soát và bảo vệ khu vực"),
            figures,
            [
                self.sentence(_("Duy trì hoạt động"), "checkpoints.count"),
                self.detail(
                    self.as_compared(f for f in figures if f.key != "checkpoints.count"),
                    _("Kết quả cụ thể:"),
                ),
            ],
        )

    def border(self) -> Section | None:
        fs = self.fs
        figures = [f for f in fs.figures.values() if any(f.key.startswith(p) for p in _BORDER_KEYS)]
        return self.section(
            "border",
            _(
                "Công tác quản lý biên giới, biển đảo, người nước ngoài và phòng, chống "
                "xuất nhập cảnh trái phép"
            ),
            figures,
            [
                self.detail(
                    fs.starting("cases.domain."), _("Vụ việc phát hiện, xử lý theo địa bàn:")
                ),
                self.sentence(
                    _("Phát hiện, xử lý vụ việc xuất nhập cảnh, di cư trái phép:"),
                    "cases.category.migration",
                ),
                self.sentence(
                    _("Phát hiện, xử lý vụ việc khai thác IUU, vi phạm trên biển:"),
                    "cases.category.iuu",
                ),
                self.sentence(_("Phối hợp tuần tra, kiểm soát chung"), "patrols.count"),
                self.stated(_("Tổng số lượt tuần tra, kiểm soát:"), "patrols.sorties"),
                self.sentence(_("Huy động tham gia tuần tra, kiểm soát:"), "patrols.personnel"),
                self.detail(fs.starting("patrols.route."), _("Theo tuyến tuần tra:")),
            ],
        )

    def campaigns(self) -> Section | None:
        fs = self.fs
        figures = fs.starting("campaigns.")
        handed = [f for f in figures if f.key.startswith("campaigns.handed_in.")]
        paragraphs: list[Paragraph | None] = []
        if fs.get("campaigns.coverage") is not None:
            paragraphs.append(
                Paragraph(
                    _(
                        "Triển khai vận động Nhân dân giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ "
                        "tại %(share)s xã, phường (%(communes)s)."
                    )
                    % {
                        "share": self.cite("campaigns.coverage"),
                        "communes": self.cite("campaigns.communes"),
                    },
                    figures=["campaigns.coverage", "campaigns.communes"],
                )
            )
        if any(f.value for f in handed):
            paragraphs.append(
                Paragraph(
                    _("Nhân dân đã giao nộp %(items)s.")
                    % {"items": ", ".join(f.text() for f in handed if f.value)},
                    figures=[f.key for f in handed if f.value],
                )
            )
            paragraphs.append(self.detail(handed, _("So sánh:")))
        return self.section(
            "campaigns",
            _("Công tác vận động giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ"),
            figures,
            paragraphs,
        )

    def rescue(self) -> Section | None:
        fs = self.fs
        figures = fs.starting("rescue.")
        by_force = ("rescue.force_personnel.", "rescue.force_means.")
        results = [
            f for f in figures if f.key != "rescue.incidents" and not f.key.startswith(by_force)
        ]
        return self.section(
            "rescue",
            _("Công tác phòng, chống thiên tai, tìm kiếm cứu nạn"),
            figures,
            [
                self.sentence(_("Phối hợp ứng phó"), "rescue.incidents"),
                self.detail(self.as_compared(results), _("Kết quả cụ thể:")),
                self.forces_committed(*by_force),
            ],
        )

    def destruction(self) -> Section | None:
        """Explosives, ordnance and weapons the forces destroyed: their own section, never
        mixed with what the population handed in."""
        fs = self.fs
        figures = fs.starting("destruction.")
        destroyed = [f for f in figures if f.key.startswith("destruction.items.") and f.value]
        paragraphs: list[Paragraph | None] = [
            self.sentence(_("Phối hợp tổ chức"), "destruction.count")
        ]
        if destroyed:
            paragraphs.append(
                Paragraph(
                    _("Đã tiêu hủy %(items)s.") % {"items": ", ".join(f.text() for f in destroyed)},
                    figures=[f.key for f in destroyed],
                )
            )
            paragraphs.append(self.detail(self.as_compared(destroyed), _("So sánh:")))
        return self.section(
            "destruction",
            _("Công tác phối hợp tiêu hủy vật liệu nổ, bom mìn, vũ khí"),
            figures,
            paragraphs,
        )

    # --- qualified figures and figures by force

    @staticmethod
    def as_compared(figures: Iterable[Figure]) -> list[Figure]:
        """The figures as the text compares them: one entered with a qualifier ("trên 120 khu
        phong tỏa") is stated without a comparison — the difference of approximate values is
        no figure anybody entered (the annex table still gives every period's value)."""
        return [
            dataclasses.replace(f, previous=None, last_year=None) if f.qualifier else f
            for f in figures
        ]

    def stated(self, lead: str, key: str) -> Paragraph | None:
        """`sentence` for a figure that may carry a qualifier."""
        figure = self.fs.get(key)
        if figure is None or not figure.value:
            return None
        shown = self.as_compared([figure])[0]
        return Paragraph(f"{lead} {shown.text()}{self.comparisons(shown)}.", figures=[key])

    def forces_committed(self, *prefixes: str) -> Paragraph | None:
        """One line per force: what it committed (its members of the families `prefixes`,
        keyed by force code and labelled with the force's name), in the families' order."""
        lines: dict[str, list[Figure]] = {}
        for prefix in prefixes:
            for figure in self.fs.starting(prefix):
                if figure.value:
                    lines.setdefault(figure.key.removeprefix(prefix), []).append(figure)
        if not lines:
            return None
        rows = [
            f"- {shown[0].label}: {', '.join(f.text() for f in shown)}" for shown in lines.values()
        ]
        return Paragraph(
            _("Lực lượng tham gia:") + "\n" + ";\n".join(rows) + ".",
            figures=[f.key for shown in lines.values() for f in shown],
        )

    # --- limitations and tasks

    def fallen(self) -> list[Figure]:
        return [
            f
            for f in self.fs.figures.values()
            if f.key.startswith(("cases.domain.", "cases.category.", "patrols.route."))
            and f.last_year is not None
            and f.value < f.last_year
        ]

    def limitations(self) -> Section | None:
        fs = self.fs
        paragraphs: list[Paragraph] = []
        if fs.late_submissions:
            late = [s for s in fs.late_submissions if not s.missing]
            missing = [s for s in fs.late_submissions if s.missing]
            text = _(
                "Việc thực hiện chế độ báo cáo định kỳ chưa nghiêm túc: trên %(expected)s báo "
                "cáo phải nộp, %(late)s báo cáo nộp chậm và %(missing)s báo cáo chưa nộp khi đã "
                "quá hạn"
            ) % {
                "expected": formats.count(fs.submissions_expected),
                "late": formats.count(len(late)),
                "missing": formats.count(len(missing)),
            }
            names = [
                _("%(unit)s (%(state)s, hạn %(deadline)s)")
                % {
                    "unit": s.unit,
                    "state": _("chưa nộp") if s.missing else _("nộp chậm"),
                    "deadline": formats.date(s.deadline),
                }
                for s in fs.late_submissions
            ]
            paragraphs.append(Paragraph(f"{text}: {'; '.join(names)}."))
        ack = fs.value("exchange.ack.overdue")
        verify = fs.value("exchange.verify.overdue")
        if ack or verify:
            text = _(
                "Việc tiếp nhận, kiểm tra, xác minh thông tin ở một số đơn vị chưa kịp thời: còn "
                "%(ack)s quá hạn chưa xác nhận và %(verify)s quá hạn chưa có kết quả"
            ) % {
                "ack": format_value(ack, "count", _("lượt tiếp nhận thông tin")),
                "verify": format_value(verify, "count", _("yêu cầu xác minh")),
            }
            units = [
                _("%(unit)s (%(level)s): %(detail)s")
                % {
                    "unit": o.unit,
                    "level": o.level.lower(),
                    "detail": ", ".join(
                        part
                        for part in (
                            format_value(o.acknowledgements, "count", _("lượt tiếp nhận"))
                            if o.acknowledgements
                            else "",
                            format_value(o.verifications, "count", _("yêu cầu xác minh"))
                            if o.verifications
                            else "",
                        )
                        if part
                    ),
                }
                for o in fs.overdue
            ]
            paragraphs.append(
                Paragraph(
                    _("%(text)s; gồm: %(units)s.") % {"text": text, "units": "; ".join(units)},
                    figures=["exchange.ack.overdue", "exchange.verify.overdue"],
                )
            )
        fallen = self.fallen()
        if fallen:
            parts = [
                f"{_lower_first(f.label)} {f.text()}{self.comparisons(f, previous=False)}"
                for f in fallen
            ]
            paragraphs.append(
                Paragraph(
                    _(
                        "Kết quả phối hợp trên một số địa bàn, lĩnh vực giảm so với "
                        "%(against)s: %(list)s."
                    )
                    % {"against": self.last_year_label, "list": "; ".join(parts)},
                    figures=[f.key for f in fallen],
                )
            )
        if not paragraphs:
            return None
        return Section(key="limitations", title=_("Hạn chế"), paragraphs=paragraphs)

    def tasks(self, carried: Section | None) -> Section | None:
        fs = self.fs
        lines = [
            _(
                "Tiếp tục thực hiện nghiêm quy chế phối hợp, duy trì giao ban định kỳ và trao đổi "
                "thông tin thường xuyên giữa %(count)s lực lượng."
            )
            % {"count": count_in_words(len(self.header.forces))}
        ]
        if fs.late_submissions:
            lines.append(
                _(
                    "Chấn chỉnh chế độ báo cáo định kỳ: các đơn vị nêu tại phần hạn chế nộp báo "
                    "cáo đúng hạn, đủ số liệu."
                )
            )
        if fs.value("exchange.ack.overdue") or fs.value("exchange.verify.overdue"):
            lines.append(
                _(
                    "Bảo đảm tiếp nhận, kiểm tra, xác minh thông tin ở cơ sở kịp thời, chặt chẽ, "
                    "giải quyết dứt điểm các yêu cầu xác minh quá hạn."
                )
            )
        fallen = self.fallen()
        if fallen:
            lines.append(
                _("Tập trung nâng cao hiệu quả phối hợp đấu tranh đối với: %(list)s.")
                % {"list": "; ".join(_lower_first(f.label) for f in fallen)}
            )
        paragraphs = [Paragraph(f"{i}. {line}") for i, line in enumerate(lines, start=1)]
        section = Section(key="tasks", title=_("Phương hướng, nhiệm vụ"), paragraphs=paragraphs)
        if carried is not None:
            section.paragraphs += carried.paragraphs
            section.figures += carried.figures
            section.tables += carried.tables
        return section


def _lower_first(text: str) -> str:
    """A label inside a sentence: "Địa bàn biển" → "địa bàn biển", but "IUU …" stays."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


def _kind_word(area: Any) -> str:
    """The word a name starts with: "Tỉnh", "Xã"…; a centrally-run city is a "Thành phố"
    ("Thành phố Hà Nội", never "Thành phố trực thuộc trung ương Thành phố Hà Nội")."""
    from phoihop.org.enums import AreaKind

    if area.kind == AreaKind.THANH_PHO_TW:
        return str(_("Thành phố"))
    return str(area.get_kind_display())


def area_name(figures: FigureSet) -> str:
    """ "Tỉnh Hà Tĩnh", "Thành phố Đà Nẵng", "Xã Sơn Kim 1": the name with its kind, once."""
    area = figures.area
    kind = _kind_word(area)
    if area.name.casefold().startswith(kind.casefold()):
        return str(area.name)
    return f"{kind} {area.name}"


def _place(figures: FigureSet) -> str:
    """The province's bare name for the place line ("Hà Tĩnh, ngày …", "Đà Nẵng, ngày …"): the
    province as it was (an old commune's, through its district)."""
    province = figures.area.province
    kind = _kind_word(province)
    name = str(province.name)
    return name[len(kind) :].strip() if name.casefold().startswith(kind.casefold()) else name


def default_signers(area: Any, forces: Iterable[ProvinceForce] | None = None) -> list[Signer]:
    """One signature block per force of the province for a joint report: a commander of each
    force's top unit in the province, with the rank and post from their profile ("Đại tá, Phó
    Giám đốc …") and the head title the province gives the force ("GIÁM ĐỐC", "TƯ LỆNH")."""
    from django.db.models.functions import Length

    from phoihop.org.enums import RoleCode
    from phoihop.org.models import Unit, User

    province = area if area.level == "province" or area.parent is None else area.parent
    signers: list[Signer] = []
    for taking_part in province_forces(province) if forces is None else forces:
        force = taking_part.force
        # The force's highest unit in the province: since 2025 the Border Guard command sits
        # under the Military Command, so it is not a root of the tree.
        top = (
            Unit.objects.filter(force=force, province=province, valid_until__isnull=True)
            .order_by(Length("path"), "path")
            .first()
        )
        if top is None:
            continue
        commander = (
            User.objects.filter(unit=top, is_active=True, roles__code=RoleCode.COMMANDER)
            .order_by("username")
            .first()
        )
        if commander is None:
            continue
        rank, _sep, post = (commander.rank_title or "").partition(",")
        head = taking_part.head_title.upper()
        deputy = post.strip().casefold().startswith("phó")
        signers.append(
            Signer(
                title=f"KT. {head} / PHÓ {head}" if deputy else head,
                name=commander.full_name or commander.username,
                rank=rank.strip() if post else "",
                agency=top.name.upper(),
            )
        )
    return signers


def _carried_tasks(figures: FigureSet, actor: Any) -> Section | None:
    try:
        from phoihop.reports.tasks_section import tasks_section
    except ImportError:  # the conference tasks are an optional part of the reports app
        return None
    return tasks_section(actor=actor, area=figures.area, period=figures.period)


def build_report(
    *,
    area_code: str,
    period_key: str,
    actor: Any,
    issuer: str = "",
    signers: Iterable[Signer] = (),
    recipients: Iterable[str] = (),
    number: str = "",
    as_user: str = "",
    classification: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """The report of an area and period as `actor` sees it (`OPERATOR`: the whole area)."""
    say = progress or (lambda _message: None)
    say(_("Đang tổng hợp số liệu…"))
    figures = build_figures(area_code=area_code, period_key=period_key, actor=actor)
    header = header_for(figures.area)
    say(_("Đang soạn các phần của báo cáo…"))
    writer = _Writer(figures, header)
    built = [
        writer.overview(),
        writer.exchange(),
        writer.mobilisation(),
        writer.crime(),
        writer.wanted(),
        writer.protection(),
        writer.checkpoints(),
        writer.border(),
        writer.campaigns(),
        writer.destruction(),
        writer.rescue(),
        writer.limitations(),
        writer.tasks(_carried_tasks(figures, actor)),
    ]
    sections = [s for s in built if s is not None]
    for index, section in enumerate(sections):
        section.title = f"{_ROMAN[index]}. {section.title}"
    return Report(
        area_code=figures.area.code,
        area_name=area_name(figures),
        period_key=figures.period.key,
        period_label=figures.period.label,
        start=figures.start,
        end=figures.end,
        rule=figures.rule,
        generated_at=timezone.now(),
        as_user=as_user,
        title=_("Kết quả công tác phối hợp giữa lực lượng %(forces)s %(period)s")
        % {"forces": forces_phrase(header.forces), "period": figures.period.label},
        issuer=issuer or header.issuer,
        number=number,
        document_symbol=header.document_symbol,
        place=header.place or _place(figures),
        classification=classification,
        sections=sections,
        signers=list(signers) or default_signers(figures.area, header.forces),
        recipients=list(recipients) or header.recipients,
    )
