"""`Idempotency-Key` for API POSTs: a retried request gets the first answer, not a duplicate.

The first request with a key claims it (a unique row, so two concurrent retries cannot both
run); its answer is stored when it succeeds or fails on input (status < 500). A retry with the
same key and the same body replays that answer; the same key with another body is refused.
A server error releases the key so the client may retry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100


def _error(message: str, code: str, http_status: int) -> Response:
    return Response(
        {"message": message, "code": code, "fields": {"Idempotency-Key": [message]}},
        status=http_status,
    )


def _request_hash(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(request: Request, handler: Callable[[], Response]) -> Response:
    key = request.headers.get(HEADER, "").strip()
    if not key or not request.user.is_authenticated:
        return handler()
    if len(key) > MAX_KEY_LENGTH:
        return _error(
            _("Idempotency-Key dài quá %(n)s ký tự.") % {"n": MAX_KEY_LENGTH},
            "invalid",
            status.HTTP_400_BAD_REQUEST,
        )
    digest = _request_hash(request)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user=request.user,
                key=key,
                method=request.method or "",
                path=request.path[:300],
                request_hash=digest,
            )
    except IntegrityError:
        previous = IdempotencyRecord.objects.get(user=request.user, key=key)
        if previous.request_hash != digest:
            return _error(
                _("Idempotency-Key này đã được dùng cho một yêu cầu khác."),
                "idempotency_key_reused",
                status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        if previous.status_code is None:
            return _error(
                _("Yêu cầu với Idempotency-Key này đang được xử lý. Hãy thử lại sau."),
                "idempotency_in_progress",
                status.HTTP_409_CONFLICT,
            )
        replay = Response(previous.response_body, status=previous.status_code)
        replay["Idempotent-Replayed"] = "true"
        return replay
    try:
        response = handler()
    except Exception:
        record.delete()
        raise
    if response.status_code >= 500:
        record.delete()
        return response
    record.status_code = response.status_code
    record.response_body = json.loads(json.dumps(response.data, default=str))
    record.save(update_fields=["status_code", "response_body"])
    return response
