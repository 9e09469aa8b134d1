"""A URL configuration that serves the map page with made-up data, for looking at the page's front
end (template, map.js, Leaflet) apart from the real selectors.

    @pytest.mark.urls("tests.dashboards.map_page_stub")

`/_stub/map/` renders `dashboards/map.html` with the real filter form; `/_stub/map/data/` answers
`STUB_DATA`; `/_stub/map/provinces.geojson?code=42` the real boundaries (all current provinces
without `code`). Every other URL of the test configuration is kept, so that base.html renders.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path

from phoihop.core import formats
from phoihop.dashboards import geo
from phoihop.dashboards.forms import DashboardFilterForm
from tests.urls import urlpatterns as base_urlpatterns

CASE_URL = "/cases/00000000-0000-4000-8000-{:012d}/"

STUB_DATA: dict[str, Any] = {
    "period": {"key": "2024-Q3", "label": "quý III năm 2024"},
    "figure": {"key": "cases", "label": "Vụ việc"},
    # Skewed, as counts are; eight provinces have no value (grey), Lâm Đồng has 0.
    "choropleth": {
        code: {"value": value, "display": formats.number(value)}
        for code, value in {
            "01": 3429,
            "04": 4,
            "08": 9,
            "11": 15,
            "12": 2,
            "14": 27,
            "15": 40,
            "19": 61,
            "20": 8,
            "22": 95,
            "24": 130,
            "25": 12,
            "31": 610,
            "33": 33,
            "37": 22,
            "38": 1508,
            "40": 35,
            "42": 200,
            "44": 120,
            "46": 18,
            "48": 70,
            "51": 11,
            "52": 6,
            "56": 54,
            "66": 29,
            "68": 0,
        }.items()
    },
    "places": [
        {
            "lat": 18.4185,
            "lng": 105.3336,
            "source": "centre",
            "commune": "Xã Sơn Kim 1",
            "commune_code": "18196",
            "counts": {"cases": 12, "operations": 3, "overdue": 1},
            "records": [
                {
                    "kind": "case",
                    "kind_label": "Vụ việc",
                    "title": f"{n:02d}/VV-CAT",
                    "url": CASE_URL.format(n),
                }
                for n in range(1, 6)
            ],
            "more": 11,
        },
        {
            "lat": 18.2461,
            "lng": 106.0832,
            "source": "record",
            "commune": "Xã Thiên Cầm",
            "commune_code": "18676",
            "counts": {"cases": 1, "operations": 0, "overdue": 0},
            "records": [
                {
                    "kind": "case",
                    "kind_label": "Vụ việc",
                    "title": "07/VV-BCHBP",
                    "url": CASE_URL.format(7),
                }
            ],
            "more": 0,
        },
        {
            "lat": 18.34,
            "lng": 105.9,
            "source": "centre",
            "commune": "Phường Thành Sen",
            "commune_code": "18073",
            "counts": {"cases": 2, "operations": 1, "overdue": 0},
            "records": [
                {
                    "kind": "operation",
                    "kind_label": "Hoạt động phối hợp",
                    "title": "Tuần tra chung <đêm 12/8>",
                    "url": "/operations/x/",
                }
            ],
            "more": 2,
        },
    ],
    "unplaced": [
        {
            "commune": "Xã Kỳ Anh",
            "commune_code": "18580",
            "counts": {"cases": 3, "operations": 0, "overdue": 1},
            "url": "/cases/?area=18580",
        }
    ],
    "hotspots": [
        {
            "commune": "Xã Sơn Kim 1",
            "commune_code": "18196",
            "value": 12,
            "baseline": "1,5",
            "lat": 18.4185,
            "lng": 105.3336,
        },
        {
            "commune": "Xã Kỳ Anh",
            "commune_code": "18580",
            "value": 7,
            "baseline": "2",
            "lat": None,
            "lng": None,
        },
    ],
}


def stub_map_page(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET)
    form.is_valid()
    code = request.GET.get("code", "")
    context = {
        "form": form,
        "period_label": "quý III năm 2024",
        "hotspot_rule": "Xã có từ 3 vụ việc trở lên trong kỳ và gấp 2 lần trung bình 4 kỳ trước.",
        "data_url": "/_stub/map/data/?" + request.GET.urlencode(),
        "provinces_url": "/_stub/map/provinces.geojson" + (f"?code={code}" if code else ""),
    }
    return render(request, "dashboards/map.html", context)


def stub_map_data(request: HttpRequest) -> JsonResponse:
    return JsonResponse(STUB_DATA, json_dumps_params={"ensure_ascii": False})


def stub_provinces(request: HttpRequest) -> JsonResponse:
    code = request.GET.get("code")
    return JsonResponse(geo.province_geojson([code] if code else None))


urlpatterns = [
    path("_stub/map/", stub_map_page),
    path("_stub/map/data/", stub_map_data),
    path("_stub/map/provinces.geojson", stub_provinces),
    *base_urlpatterns,
]
