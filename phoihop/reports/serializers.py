"""Shapes of the conference-task API. Input is plain data (codes, dates); meaning is checked by
the services, which answer in the one error shape."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from phoihop.reports.enums import TaskStatus
from phoihop.reports.models import ConferenceTask, ConferenceTaskNote, ConferenceTaskTransition


class TaskNoteSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = ConferenceTaskNote
        fields = ["id", "noted_on", "body", "author", "unit", "created_at"]


class TaskTransitionLogSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = ConferenceTaskTransition
        fields = ["from_status", "to_status", "actor", "at", "note"]


class TaskSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    lead_force = serializers.CharField(source="lead_force.code", read_only=True)
    supporting_forces = serializers.SerializerMethodField()
    owner_unit = serializers.CharField(source="owner_unit.code", read_only=True)
    status = serializers.CharField(read_only=True, help_text=", ".join(TaskStatus.values))
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ConferenceTask
        fields = [
            "id",
            "version",
            "period_key",
            "area",
            "area_name",
            "conference_date",
            "content",
            "lead_force",
            "supporting_forces",
            "deadline",
            "status",
            "overdue",
            "classification",
            "is_joint",
            "owner_unit",
            "created_at",
            "updated_at",
        ]

    def get_supporting_forces(self, task: ConferenceTask) -> list[str]:
        return [f.code for f in task.supporting_forces.all()]

    def get_overdue(self, task: ConferenceTask) -> bool:
        return task.is_overdue()


class TaskDetailSerializer(TaskSerializer):
    notes = TaskNoteSerializer(many=True, read_only=True)
    transitions = TaskTransitionLogSerializer(many=True, read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "notes", "transitions"]


class TaskCreateSerializer(serializers.Serializer):
    period_key = serializers.CharField(max_length=10, label=_("kỳ báo cáo của hội nghị"))
    area = serializers.CharField(max_length=5, label=_("mã địa bàn"))
    conference_date = serializers.DateField(label=_("ngày hội nghị"))
    content = serializers.CharField(label=_("nội dung nhiệm vụ"))
    lead_force = serializers.CharField(max_length=10, label=_("lực lượng chủ trì"))
    supporting_forces = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False, default=list
    )
    deadline = serializers.DateField(label=_("thời hạn"))
    classification = serializers.IntegerField(required=False, default=0)
    is_joint = serializers.BooleanField(required=False, default=True)


class TaskUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(label=_("phiên bản"))
    period_key = serializers.CharField(max_length=10, required=False)
    area = serializers.CharField(max_length=5, required=False)
    conference_date = serializers.DateField(required=False)
    content = serializers.CharField(required=False)
    lead_force = serializers.CharField(max_length=10, required=False)
    supporting_forces = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False
    )
    deadline = serializers.DateField(required=False)


class TaskTransitionSerializer(serializers.Serializer):
    # Checked by the service against the transition map (a plain string keeps the OpenAPI enum
    # names of other apps' `status` fields stable).
    to = serializers.CharField(max_length=20, help_text=", ".join(TaskStatus.values))
    version = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TaskNoteCreateSerializer(serializers.Serializer):
    body = serializers.CharField()
    noted_on = serializers.DateField(required=False)
