"""The Dagster code location: assets, checks, jobs, schedules, sensors and the store resource.

Nothing here touches the network or the store at import time; the store is opened by the
resource when a run starts.
"""

from __future__ import annotations

from dagster import Definitions, in_process_executor

from pollen_pipeline.alerts import alert_sensor
from pollen_pipeline.assets.core import core_assets, generation_event
from pollen_pipeline.assets.economics import economics_assets
from pollen_pipeline.assets.health import health_assets
from pollen_pipeline.assets.usage import usage_assets
from pollen_pipeline.clickhouse import ClickHouseResource
from pollen_pipeline.freshness import raw_freshness_check, raw_freshness_job, raw_freshness_schedule
from pollen_pipeline.jobs import daily_job, hourly_job
from pollen_pipeline.schedules import daily_refresh_sensor, daily_schedule, hourly_schedule

# In-process: every step of a run shares the run's single store client. The embedded store
# allows one writer process, so a multiprocess executor would lock itself out.
defs = Definitions(
    assets=[generation_event, *core_assets, *economics_assets, *usage_assets, *health_assets],
    asset_checks=[raw_freshness_check],
    jobs=[hourly_job, daily_job, raw_freshness_job],
    schedules=[hourly_schedule, daily_schedule, raw_freshness_schedule],
    sensors=[daily_refresh_sensor, alert_sensor],
    resources={"clickhouse": ClickHouseResource()},
    executor=in_process_executor,
)
