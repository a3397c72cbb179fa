-- From the facts' two measures of these rows (the wide scan counts and sums them per fine group,
-- whatever its filter status), not a raw scan of their own.
SELECT
    day,
    user_github_username,
    user_tier,
    sum(legacy_tier_events) AS requests,
    sum(legacy_tier_pollen) AS tier_pollen
FROM $event_facts_daily
WHERE $days_in_run AND legacy_tier_events > 0
GROUP BY day, user_github_username, user_tier
