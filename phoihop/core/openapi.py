"""How the published API reference is generated (drf-spectacular's `DEFAULT_SCHEMA_CLASS`)."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    """The OpenAPI description of an operation comes from its `extend_schema(description=…)`
    (Vietnamese, for clients), never from a view's or action's docstring, which is written for
    the developers (in English) and would leak into the published API reference."""

    def get_description(self) -> str:  # type: ignore[override]
        return ""
