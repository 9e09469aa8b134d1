"""`search_text` is the record's searched fields folded, on save and for bulk inserts alike."""

from __future__ import annotations

from phoihop.cases.models import Case
from phoihop.exchange.models import InformationItem
from phoihop.operations.models import Patrol


def test_each_record_kind_folds_its_own_fields() -> None:
    item = InformationItem(title="Ma túy đá", content="Đường dây ở Hương Sơn")
    case = Case(title="Buôn lậu", summary="Thuốc lá điếu")
    patrol = Patrol(title="Tuần tra", place="Cửa khẩu Cầu Treo")

    for record in (item, case, patrol):
        record.refresh_search_text()

    assert item.search_text == "ma tuy da duong day o huong son"
    assert case.search_text == "buon lau thuoc la dieu"
    assert patrol.search_text == "tuan tra cua khau cau treo"
