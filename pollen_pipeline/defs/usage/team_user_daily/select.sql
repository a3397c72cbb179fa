-- The team's per-user view, rolled up from the facts' finest groups (the one wide scan reads the
-- balances, so this table needs no raw scan of its own). A group's observed balances are its last
-- successful billed event's; the latest of the groups that had one is the user's.
-- facts.<column>: the facts' own column where an output reuses its name.
SELECT
    day,
    environment,
    traffic_group,
    user_id,
    sum(facts.events) AS events,
    sum(price_sum) AS total_pollen,
    min(facts.first_event_at) AS first_event_at,
    sum(facts.observed_events) AS observed_events,
    maxIf(facts.observed_at, facts.observed_events > 0) AS observed_at,
    argMaxIf(observed_quest_balance, facts.observed_at, facts.observed_events > 0) AS quest_balance,
    argMaxIf(observed_paid_balance, facts.observed_at, facts.observed_events > 0) AS paid_balance
FROM $event_facts_daily AS facts
WHERE $days_in_run AND v1_only = 0
GROUP BY day, environment, traffic_group, user_id
