-- Per UTC day and developer of the window on either list, as both are bound when the run starts
-- (the hand list from excluded_users; D1's banned accounts from d1_user's latest snapshot): the
-- events the contract's other filters pass ('ok' or 'excluded'), so what each list removes, or
-- would remove. removed: the contract's last filter took them out (the hand list always, D1's
-- only with POLLEN_EXCLUDE_D1_BANNED).
SELECT
    day,
    user_id,
    multiIf(by_hand = 1 AND by_d1 = 1, 'both', by_hand = 1, 'hand_list', 'd1_banned') AS listed_by,
    removed,
    events,
    total_pollen
FROM
(
    SELECT
        day,
        user_id,
        max(has({hand_list_github_ids:Array(String)}, user_github_id)) AS by_hand,
        max(has({d1_banned_github_ids:Array(String)}, user_github_id)) AS by_d1,
        max(filter_status = $label_excluded) AS removed,
        sum(events) AS events,
        sum(price_sum) AS total_pollen
    FROM $event_facts_daily
    WHERE $days_in_run AND $listed_rows
    GROUP BY day, user_id
)
