"""Check names, as constants so that alerts, tests and the UI agree on them."""

SCHEMA = "schema_valid"
RECONCILES_WITH_RAW = "reconciles_with_raw"
NO_GAPS = "no_gaps"
METER_CLASSIFICATION = "meters_classified"
