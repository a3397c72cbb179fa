"""Component types of this code location: a table folder of ``defs/`` declares one of them in
its ``defs.yaml``."""

from pollen_pipeline.components.raw_events import RawEvents
from pollen_pipeline.components.raw_source import RawSource
from pollen_pipeline.components.summary_table import SummaryTable

__all__ = ["RawEvents", "RawSource", "SummaryTable"]
