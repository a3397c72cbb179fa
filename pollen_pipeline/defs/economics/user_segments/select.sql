-- Rank = position by 30-day total Pollen (ties broken by user_id, so reruns agree); the segment
-- follows from the share of ranked users above the user.
SELECT
    as_of,
    user_id,
    user_github_username,
    user_tier,
    total_30d,
    pack_30d,
    tier_30d,
    paid_share_30d,
    pollen_rank,
    ranked_users,
    $segment AS segment
FROM
(
    SELECT
        as_of, user_id, user_github_username, user_tier, total_30d, pack_30d, tier_30d,
        paid_share_30d,
        row_number() OVER (PARTITION BY as_of ORDER BY total_30d DESC, user_id) AS pollen_rank,
        count() OVER (PARTITION BY as_of) AS ranked_users
    FROM $user_windows
    WHERE $as_of_in_run AND total_30d > 0
)
