"""Demo step: report forms of the three forces and the periodic submissions of 2024-Q2 and Q3.

Six quarterly forms (biểu mẫu): for the commune-level units and for the provincial units of the
Police, the Military Command and the Border Guard, each with entered indicators and derived ones
(cases, information exchange). Every unit that owed a form for quý II and quý III năm 2024 — the
units that existed then, by the tree of the scenario — has its story, fixed in `PLAN` by unit
code and otherwise on time: most sent on time and approved by the level above, some late, one
returned with a reason and not yet sent again, a few missing (never opened, or left as a draft),
and a couple still waiting in their commander's approval queue. Figures are drawn from
`random.Random(<unit>-<period>)`, so a rebuild gives the same numbers; a figure that varies too
much against the previous quarter is explained, as the rules require.

Everything goes through the services with the times of the story (`at=…`), as the users of the
scenario; units without a user get a reporting officer (`<unit>.baocao`, no password — an author
of the history, not a demo login). Idempotent: an existing form or submission is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from phoihop.indicators.enums import SubmissionStatus
from phoihop.indicators.models import ReportForm, Submission
from phoihop.indicators.periods import Period
from phoihop.indicators.selectors import units_owing
from phoihop.indicators.services import (
    approver_unit,
    report_form_set_lines,
    submission_approve,
    submission_create,
    submission_return,
    submission_submit,
    submission_values_set,
)
from phoihop.indicators.validation import check_submission
from phoihop.org.enums import RoleCode
from phoihop.org.models import Force, Unit, UnitLevel, User
from phoihop.org.services import user_create

if TYPE_CHECKING:
    from phoihop_dev.demo.builder import DemoContext

PROVINCE_CODE = "42"
PERIODS = ("2024-Q2", "2024-Q3")

_COMMUNE_ENTERED = ["tt.tuan-tra", "tt.can-bo-tuan-tra", "tt.tuyen-truyen", "tt.nguoi-nghe"]
_EXCHANGE = ["exchange.items_sent", "exchange.items_received", "exchange.acknowledged_on_time"]
_CASES = ["cases.count", "cases.persons"]
_SUBJECTS = ["tt.doi-tuong-xu-ly", "tt.truy-na-bat"]

# code, name, force, level, deadline days, indicators
FORMS: list[tuple[str, str, str, str, int, list[str]]] = [
    (
        "ca-xa-quy",
        "Báo cáo quý kết quả phối hợp của Công an xã",
        "CA",
        "xa",
        5,
        [*_COMMUNE_ENTERED, *_SUBJECTS, *_CASES, *_EXCHANGE],
    ),
    (
        "qs-xa-quy",
        "Báo cáo quý kết quả phối hợp của Ban Chỉ huy Quân sự xã",
        "QS",
        "xa",
        5,
        [*_COMMUNE_ENTERED, *_EXCHANGE],
    ),
    (
        "bp-don-quy",
        "Báo cáo quý kết quả phối hợp của Đồn Biên phòng",
        "BP",
        "xa",
        5,
        [*_COMMUNE_ENTERED, *_SUBJECTS, *_CASES, "cases.seized.heroin", *_EXCHANGE],
    ),
    (
        "ca-tinh-quy",
        "Báo cáo quý kết quả phối hợp của Công an tỉnh và các phòng",
        "CA",
        "tinh",
        10,
        ["tt.tuyen-truyen", "tt.nguoi-nghe", "tt.kinh-phi", *_CASES, "cases.organisations",
         "cases.seized.heroin", "cases.seized.ma-tuy-da", *_EXCHANGE,
         "exchange.acknowledged_on_time_share"],
    ),
    (
        "qs-tinh-quy",
        "Báo cáo quý kết quả phối hợp của Bộ Chỉ huy Quân sự tỉnh",
        "QS",
        "tinh",
        10,
        ["tt.tuyen-truyen", "tt.nguoi-nghe", "tt.kinh-phi", *_EXCHANGE,
         "exchange.acknowledged_on_time_share"],
    ),
    (
        "bp-tinh-quy",
        "Báo cáo quý kết quả phối hợp của Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        "BP",
        "tinh",
        10,
        ["tt.tuyen-truyen", "tt.nguoi-nghe", "tt.kinh-phi", *_CASES, "cases.organisations",
         "cases.seized.heroin", *_EXCHANGE, "exchange.acknowledged_on_time_share"],
    ),
]  # fmt: skip

ON_TIME, LATE, MISSING, DRAFT, RETURNED, WAITING = (
    "on_time",
    "late",
    "missing",
    "draft",
    "returned",
    "waiting",
)
# Stories other than "sent on time and approved", by period and unit code.
PLAN: dict[str, dict[str, str]] = {
    "2024-Q2": {
        "CAX-SK2": LATE,
        "DBP-BGG": LATE,
        "CAT-PA08": MISSING,
        "DBP-DNG": MISSING,
    },
    "2024-Q3": {
        "DBP-LKN": LATE,
        "DBP-KKG": LATE,
        "BCHQS-PTM": LATE,
        "DBP-SHG": RETURNED,
        "CAT-PC02": MISSING,
        "BCHBP-VAG": MISSING,
        "QSX-SK2": DRAFT,
        "DBP-CST": WAITING,
        "DBP-HQG": WAITING,
    },
}
RETURN_REASON = (
    "Số lượt tuần tra, kiểm soát chưa khớp với sổ nhật ký tuần tra của đồn; đề nghị kiểm tra, "
    "bổ sung số liệu và giải trình việc số buổi tuyên truyền giảm."
)
EXPLANATIONS = (
    "Trong kỳ đơn vị mở đợt cao điểm tấn công, trấn áp tội phạm theo kế hoạch của cấp trên.",
    "Lực lượng tập trung phục vụ phòng, chống thiên tai (bão số 3) nên giảm hoạt động "
    "thường xuyên.",
    "Kỳ trước có đợt tuyên truyền lưu động trên địa bàn biên giới; kỳ này trở lại mức thường.",
)

# Typical quarterly figures of a commune-level unit (entered indicators): (low, high).
_BASE = {
    "tt.tuan-tra": (18, 45),
    "tt.can-bo-tuan-tra": (60, 160),
    "tt.tuyen-truyen": (4, 12),
    "tt.nguoi-nghe": (250, 900),
    "tt.doi-tuong-xu-ly": (3, 12),
    "tt.truy-na-bat": (0, 2),
    "tt.kinh-phi": (40, 180),
}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def _values(unit: Unit, period: Period, codes: list[str]) -> dict[str, str]:
    rng = random.Random(f"{unit.code}-{period.key}")
    base = random.Random(unit.code)  # the unit's own level, the same every quarter
    scale = 3 if unit.level.code == "tinh" else 1
    values: dict[str, str] = {}
    for code in codes:
        if code not in _BASE:
            continue
        low, high = _BASE[code]
        typical = base.randint(low, high) * scale
        if code == "tt.kinh-phi":
            amount = Decimal(typical) * Decimal(rng.randint(85, 120)) / 100
            values[code] = str(amount.quantize(Decimal("0.1")))
            continue
        values[code] = str(max(0, round(typical * rng.uniform(0.8, 1.25))))
    if "tt.truy-na-bat" in values:
        wanted = int(values["tt.truy-na-bat"])
        values["tt.doi-tuong-xu-ly"] = str(max(int(values["tt.doi-tuong-xu-ly"]), wanted))
    return values


def _reporter(ctx: DemoContext, unit: Unit) -> User:
    """An officer of the unit; a reporting officer if it has none (commanders approve)."""
    found = (
        User.objects.filter(unit=unit, is_active=True, roles__code=RoleCode.OFFICER)
        .exclude(roles__code=RoleCode.JOINT_STAFF)
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    username = f"{unit.code.lower()}.baocao"
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    created = user_create(
        actor=None,
        username=username,
        password=None,
        unit=unit,
        full_name=f"Cán bộ tổng hợp {unit.short_name or unit.name}",
        rank_title="Cán bộ tổng hợp, báo cáo",
        roles=("officer",),
    )
    ctx.counts["users"] += 1
    return created


def _approver(submission: Submission, submitter: User) -> User | None:
    above = approver_unit(submission.owner_unit)
    return (
        User.objects.filter(unit=above, is_active=True, roles__code=RoleCode.COMMANDER)
        .exclude(pk=submitter.pk)
        .order_by("pk")
        .first()
    )


def _forms(ctx: DemoContext) -> list[ReportForm]:
    forces = {f.code: f for f in Force.objects.all()}
    levels = {lv.code: lv for lv in UnitLevel.objects.all()}
    forms = []
    for code, name, force, level, deadline, indicators in FORMS:
        form = ReportForm.all_objects.filter(code=code).first()
        if form is None:
            form = ReportForm.objects.create(
                code=code,
                name=name,
                force=forces[force],
                level=levels[level],
                period_kind="quarter",
                deadline_days=deadline,
            )
            report_form_set_lines(actor=None, form=form, codes=indicators)
            ctx.counts["report_forms"] += 1
        forms.append(form)
    return forms


def _explain(submission: Submission, reporter: User, rng: random.Random) -> None:
    warnings = check_submission(submission).unexplained
    if warnings:
        submission_values_set(
            actor=reporter,
            submission=submission,
            explanations={w.indicator.code: rng.choice(EXPLANATIONS) for w in warnings},
        )


def _story(ctx: DemoContext, form: ReportForm, period: Period, unit: Unit) -> None:
    if Submission.all_objects.filter(form=form, owner_unit=unit, period_key=period.key).exists():
        return
    fate = PLAN.get(period.key, {}).get(unit.code, ON_TIME)
    if fate == MISSING:
        return
    rng = random.Random(f"{form.code}-{unit.code}-{period.key}")
    deadline = form.deadline_for(period)
    reporter = _reporter(ctx, unit)
    opened = _at(deadline - dt.timedelta(days=rng.randint(6, 9)), 8)
    submission = submission_create(actor=reporter, form=form, period=period, at=opened)
    ctx.counts["submissions"] += 1
    codes = [line.indicator.code for line in form.lines.select_related("indicator")]
    submission_values_set(
        actor=reporter,
        submission=submission,
        values=_values(unit, period, codes),
        localized=True,
    )
    if fate == DRAFT:
        return
    _explain(submission, reporter, rng)
    if fate == LATE:
        sent = _at(deadline + dt.timedelta(days=rng.randint(2, 6)), rng.randint(8, 16))
    else:
        sent = _at(deadline - dt.timedelta(days=rng.randint(0, 4)), rng.randint(8, 16))
    submission_submit(actor=reporter, submission=submission, at=sent)
    if fate == WAITING:
        return
    approver = _approver(submission, reporter)
    if approver is None:
        return
    decided = sent + dt.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5))
    if fate == RETURNED:
        submission_return(actor=approver, submission=submission, reason=RETURN_REASON, at=decided)
        return
    submission_approve(actor=approver, submission=submission, at=decided)


def build_indicators(ctx: DemoContext) -> None:
    """Report forms and the submissions of 2024-Q2 and Q3 (a cut-down scenario gets none)."""
    if ctx.scenario.province_code != PROVINCE_CODE:
        return
    forms = _forms(ctx)
    for key in PERIODS:
        period = Period.parse(key)
        for form in forms:
            for unit in units_owing(form, period).select_related("level").order_by("path"):
                _story(ctx, form, period, unit)


def expected_status(period: str, unit_code: str) -> str | None:
    """The status the demo leaves a unit's submission in (None: no submission) — for tests."""
    fate = PLAN.get(period, {}).get(unit_code, ON_TIME)
    return {
        MISSING: None,
        DRAFT: SubmissionStatus.DRAFT,
        RETURNED: SubmissionStatus.RETURNED,
        WAITING: SubmissionStatus.SUBMITTED,
    }.get(fate, SubmissionStatus.APPROVED)
