"""What platform_minutely counts as an image request (the operations dashboard's images per
minute read the same constant)."""

from __future__ import annotations

from typing import Any

from pollen_pipeline.table_sql import provides

IMAGE_EVENT_TYPE = "generate.image"


@provides("image_event_type")
def sql_parameters() -> dict[str, Any]:
    """``image_event_type``, bound in the table's SELECT."""
    return {"image_event_type": IMAGE_EVENT_TYPE}
