from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from phoihop.access.api import ScopedRecordViewSet
from phoihop.access.rules import visible
from tests.scopedapp.models import Memo
from tests.scopedapp.services import memo_create, memo_update


class MemoSerializer(serializers.ModelSerializer):
    class Meta:
        model = Memo
        fields = ["public_id", "title", "classification", "is_joint", "version"]


class MemoInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    classification = serializers.IntegerField(required=False, default=0)
    version = serializers.IntegerField(required=False)


class MemoViewSet(ScopedRecordViewSet):
    serializer_class = MemoSerializer
    input_serializer_class = MemoInputSerializer
    # DELETE is routed but the kind supplies no delete: the base answers 405, never a 500.

    def selector(self, actor: Any) -> QuerySet[Memo]:
        return visible(Memo, actor)

    def create_record(self, actor: Any, data: dict[str, Any]) -> Memo:
        return memo_create(actor=actor, title=data["title"], classification=data["classification"])

    def update_record(self, actor: Any, record: Memo, version: int, data: dict[str, Any]) -> None:
        memo_update(
            actor=actor, memo=record, version=version, title=data.get("title", record.title)
        )
