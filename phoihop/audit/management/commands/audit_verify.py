"""`manage.py audit_verify` (`phoihop audit verify`): recompute the audit hash chain.

Exit code 0 when the chain is intact; 1 (a CommandError) naming the first bad entry otherwise.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from phoihop.audit.selectors import audit_chain_verify
from phoihop.core.formats import number


class Command(BaseCommand):
    help = _("Kiểm tra chuỗi mã băm của nhật ký kiểm tra; mã thoát khác 0 nếu chuỗi bị phá vỡ.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        self.stdout.write(
            _("Đã kiểm tra %(count)s mục nhật ký.") % {"count": number(report.checked)}
        )
        if report.problem is not None:
            raise CommandError(
                _("Chuỗi nhật ký bị phá vỡ tại mục #%(seq)s: %(reason)s")
                % {"seq": report.problem.seq, "reason": report.problem.reason},
                returncode=1,
            )
        if report.checked:
            self.stdout.write(
                _("Mục cuối #%(seq)s, mã băm %(hash)s.")
                % {"seq": report.last_seq, "hash": report.last_hash}
            )
        self.stdout.write(self.style.SUCCESS(_("Chuỗi nhật ký nguyên vẹn.")))
