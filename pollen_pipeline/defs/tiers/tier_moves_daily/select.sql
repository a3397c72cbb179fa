-- Per UTC day and tier of the window. tier_event (production only, as the contract's events):
-- a registration or a tier change counts at the tier it sets; a refill is one event per tier
-- with the accounts it reached (user_count) and the grant each got (pollen_amount), so its
-- Pollen is their product. scoring_snapshot: each user's last score of the day counts at the
-- current tier (scored, and moved out when the computed tier differs) and at the computed tier
-- (moved in). A tier event without a tier counts at ''.
SELECT
    day,
    tier,
    sum(registration) AS registrations,
    sum(tier_change) AS tier_changes,
    sum(refill) AS refills,
    sum(refill_accounts) AS refilled_accounts,
    sum(refill_grants) AS refill_pollen,
    sum(scored_here) AS scored,
    sum(moved_out) AS score_moves_out,
    sum(moved_in) AS score_moves_in
FROM
(
    SELECT
        toDate(timestamp, 'UTC') AS day,
        ifNull(tier, '') AS tier,
        toUInt64(event_type = 'user_registration') AS registration,
        toUInt64(event_type = 'tier_change') AS tier_change,
        toUInt64(event_type = 'tier_refill') AS refill,
        toUInt64(if(refill = 1, greatest(ifNull(user_count, 0), 0), 0)) AS refill_accounts,
        if(refill = 1, toFloat64(ifNull(pollen_amount, 0)) * refill_accounts, 0) AS refill_grants,
        toUInt64(0) AS scored_here,
        toUInt64(0) AS moved_out,
        toUInt64(0) AS moved_in
    FROM $tier_event
    WHERE environment = {production_environment:String}
        AND timestamp >= {start:DateTime('UTC')} AND timestamp < {end:DateTime('UTC')}
    UNION ALL
    SELECT day, move.1, 0, 0, 0, 0, 0, move.2, move.3, move.4
    FROM
    (
        SELECT
            toDate(timestamp, 'UTC') AS day,
            user_id,
            toString(argMax(current_tier, timestamp)) AS scored_tier,
            toString(argMax(computed_tier, timestamp)) AS computed,
            toUInt64(scored_tier != computed) AS moves
        FROM $scoring_snapshot
        WHERE timestamp >= {start:DateTime('UTC')} AND timestamp < {end:DateTime('UTC')}
        GROUP BY day, user_id
    )
    ARRAY JOIN [(scored_tier, toUInt64(1), moves, toUInt64(0)), (computed, 0, 0, moves)] AS move
)
GROUP BY day, tier
