"""The Dagster code location: assets, checks, jobs, schedules, sensors and the store resource.

Nothing here touches the network or the store at import time; the store is opened by the
resource when a run starts.
"""

from __future__ import annotations

from dagster import Definitions, in_process_executor

from pollen_pipeline.assets.core import core_assets, generation_event
from pollen_pipeline.clickhouse import ClickHouseResource
from pollen_pipeline.jobs import daily_job, hourly_job
from pollen_pipeline.schedules import daily_refresh_sensor, daily_schedule, hourly_schedule

# In-process: every step of a run shares the run's single store client. The embedded store
# allows one writer process, so a multiprocess executor would lock itself out.
defs = Definitions(
    assets=[generation_event, *core_assets],
    jobs=[hourly_job, daily_job],
    schedules=[hourly_schedule, daily_schedule],
    sensors=[daily_refresh_sensor],
    resources={"clickhouse": ClickHouseResource()},
    executor=in_process_executor,
)
