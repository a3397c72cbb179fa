"""Check names, as constants so that alerts, tests and the UI agree on them."""

SCHEMA = "schema_valid"
RECONCILES_WITH_RAW = "reconciles_with_raw"
NO_GAPS = "no_gaps"
METER_CLASSIFICATION = "meters_classified"

# Economics tables (issue 3)
WINDOWS_MATCH_DAILY = "windows_match_daily"
COHORT_MATCHES_DAILY = "cohort_matches_daily"
CONVERSION_MATCHES_COHORT = "conversion_matches_cohort"
SPIKES_MATCH_DAILY = "spikes_match_daily"
SEGMENTS_MATCH_WINDOWS = "segments_match_windows"
TIER_OVERLAY_MATCHES_WINDOWS = "tier_overlay_matches_windows"
BALANCE_AGREES_WITH_METERS = "balance_agrees_with_meters"

# Platform health (issue 7)
STATUS_CLASSES_MATCH_RAW = "status_classes_match_raw"
LATENCY_QUANTILES_VALID = "latency_quantiles_valid"
