"""pandera model of directory_app_daily."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.typing import Series


class DirectoryAppDaily(pa.DataFrameModel):
    owner_user_id: Series[str]
    app_key: Series[np.uint64]
    category: Series[str]

    class Config:
        coerce = False
        strict = False
        unique = ["day", "owner_user_id", "app_key"]
