from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from phoihop.access.rules import visible
from phoihop.access.shortcuts import record_or_404
from tests.scopedapp.models import Memo


@login_required
def memo_list(request: HttpRequest) -> HttpResponse:
    return render(request, "scopedapp/list.html", {"memos": visible(Memo, request.user)})


@login_required
def memo_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    memo = record_or_404(Memo, request.user, public_id=public_id)
    return render(request, "scopedapp/detail.html", {"memo": memo})
