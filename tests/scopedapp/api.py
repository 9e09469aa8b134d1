from rest_framework import mixins, serializers, viewsets

from phoihop.access.api import ScopedViewSetMixin
from phoihop.core.idempotency import IdempotentCreateMixin
from tests.scopedapp.models import Memo
from tests.scopedapp.services import memo_create, memo_update


class MemoSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Memo
        fields = ["public_id", "title", "classification", "is_joint", "version"]
        read_only_fields = ["public_id", "is_joint"]

    def create(self, validated_data: dict) -> Memo:
        return memo_create(
            actor=self.context["request"].user,
            title=validated_data["title"],
            classification=validated_data.get("classification", 0),
        )

    def update(self, instance: Memo, validated_data: dict) -> Memo:
        return memo_update(
            actor=self.context["request"].user,
            memo=instance,
            version=validated_data.get("version"),
            title=validated_data.get("title", instance.title),
        )


class MemoViewSet(
    IdempotentCreateMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    scoped_model = Memo
    serializer_class = MemoSerializer
