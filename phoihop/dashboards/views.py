"""The home page's dashboard, the map, and the records behind each figure.

Thin views: the filters come from one form, every number from `dashboards.selectors`, which
reads only what the user may see.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from phoihop.core.views import profile_context
from phoihop.dashboards import geo, selectors
from phoihop.dashboards.forms import DashboardFilterForm
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, User
from phoihop.org.selectors import area_list


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _province_code(actor: User) -> str | None:
    """The user's province, or None for a user above the provinces (national)."""
    unit = actor.unit
    if unit is None or unit.province_id is None:
        return None
    return unit.province.code


def _areas(actor: User) -> QuerySet[AdministrativeArea]:
    current = area_list(actor=actor).filter(valid_until__isnull=True)
    unit = actor.unit
    if unit is not None and unit.province_id is not None:
        return current.filter(
            Q(pk=unit.province_id) | Q(parent_id=unit.province_id, level=AreaLevel.COMMUNE)
        ).order_by("level", "name")
    return current.filter(level=AreaLevel.PROVINCE).order_by("name")


def _filtered(request: HttpRequest) -> tuple[DashboardFilterForm, selectors.Filters]:
    """The filter form of the request (with its errors, if any) and the filters it gives."""
    form = DashboardFilterForm(request.GET, areas=_areas(_actor(request)))
    form.is_valid()
    return form, form.filters()


def _query(form: DashboardFilterForm, **extra: str) -> str:
    query = selectors.query_of(form.filters())
    query.update(extra)
    return urlencode(query)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form, filters = _filtered(request)
    figures = selectors.key_figures(actor=actor, filters=filters)
    trends = [
        {"key": t.key, "title": t.title, "figure": selectors.trend_figure(t)}
        for t in selectors.trends(actor=actor, filters=filters)
    ]
    context: dict[str, Any] = {
        **profile_context(actor),
        "form": form,
        "filters": filters,
        "figures": figures,
        "trends": trends,
        "map_url": f"{reverse('dashboards:map')}?{_query(form)}",
    }
    return render(request, "dashboards/home.html", context)


@login_required
@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form, filters = _filtered(request)
    data = selectors.MapData(filters=filters, figure=form.map_figure)
    context = {
        "form": form,
        "filters": filters,
        "period_label": filters.period.label,
        "hotspot_rule": data.rule_text,
        "data_url": f"{reverse('dashboards:map_data')}?{_query(form, figure=form.map_figure)}",
        "provinces_url": reverse("dashboards:provinces"),
        "province_code": _province_code(actor) or "",
    }
    return render(request, "dashboards/map.html", context)


@login_required
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    form, filters = _filtered(request)
    if form.errors:
        return JsonResponse(
            {
                "message": "; ".join(str(m) for errors in form.errors.values() for m in errors),
                "code": "invalid",
                "fields": {name: [str(m) for m in errors] for name, errors in form.errors.items()},
            },
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    data = selectors.map_data(actor=_actor(request), filters=filters, figure=form.map_figure)
    return JsonResponse(data.as_json(), json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
@gzip_page
def provinces(request: HttpRequest) -> JsonResponse:
    """The boundaries drawn on the map: the user's province, or the country for national users
    (≈ 590 KB of JSON for all 34, ≈ 170 KB compressed)."""
    code = _province_code(_actor(request))
    collection = geo.province_geojson(None if code is None else [code])
    response = JsonResponse(
        collection, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_GET
def records(request: HttpRequest) -> HttpResponse:
    """The records behind one key figure, as the figure counted them."""
    actor = _actor(request)
    form, filters = _filtered(request)
    key = request.GET.get("key", "")
    try:
        label, rows, make_row = selectors.figure_records(actor=actor, filters=filters, key=key)
    except KeyError:
        raise Http404 from None
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "label": label,
        "figure_key": key,
        "page": page,
        "rows": [make_row(record) for record in page.object_list],
        "query": _query(form, key=key),
    }
    return render(request, "dashboards/records.html", context)
