"""The code location's resources and executor.

In-process: every step of a run shares the run's single store client. The embedded store
allows one writer process, so a multiprocess executor would lock itself out.
"""

from dagster import Definitions, in_process_executor

from pollen_pipeline.resources import ClickHouseResource

defs = Definitions(resources={"clickhouse": ClickHouseResource()}, executor=in_process_executor)
