"""The Dagster code location: everything under ``defs/``, found by Dagster's own loader.

Each table folder of ``defs/`` is a component (``components/``); ``defs/automation.py``,
``defs/alerts.py`` and ``defs/resources.py`` hold the schedules, the alert sensor and the store
resource. Nothing here touches the network or the store: the store is opened by the resource
when a run starts.
"""

from pathlib import Path

from dagster import Definitions, definitions, load_from_defs_folder


@definitions
def defs() -> Definitions:
    return load_from_defs_folder(path_within_project=Path(__file__).parent)
