-- Per requested model and as_of, from the 90 days of model_daily (all tiers and key types) up to
-- each as_of of the run. Cost shares compare the model with all models of the same as_of.
WITH daily AS (SELECT * FROM $model_daily WHERE $lookback_rows)
SELECT
    as_of,
    resolved_model_requested,
    $window_columns,
    requests_30d AS requests,
    $paid_share_30d AS paid_share,
    total_30d / nullIf(requests_30d, 0) AS avg_pollen_per_request,
    $momentum AS momentum,
    total_1d / nullIf(sum(total_1d) OVER (PARTITION BY as_of), 0) AS cost_share_1d,
    total_30d / nullIf(sum(total_30d) OVER (PARTITION BY as_of), 0) AS cost_share_30d,
    cost_share_1d - cost_share_30d AS cost_share_change
FROM ($windows)
