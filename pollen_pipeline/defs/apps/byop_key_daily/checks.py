"""pandera model of byop_key_daily."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series


class ByopKeyDaily(pa.DataFrameModel):
    api_key_id: Series[str]
    client_id: Series[str]
    owner_user_id: Series[str]

    class Config:
        coerce = False
        strict = False
        unique = ["day", "api_key_id"]


ROW_RULES = {"minted_for_an_app": "client_id NOT IN ('', 'undefined')"}
