-- Synthetic scoring_snapshot (synthetic.py): the daily scoring run (01:00 UTC) of every user
-- account signed up by then (not ROUTER), scoring each at its own tier.
INSERT INTO ${database}.scoring_snapshot
(
    timestamp, user_id, github_username, current_tier, computed_tier, total_score, change,
    github_age_days, pollinations_age_days, trust_score, commits, repos, stars,
    score_github_age_days, score_pollinations_age_days, score_trust_score, score_commits
)
WITH $population
SELECT
    day_start + toIntervalHour(1) AS scored_at,
    uid,
    github_username,
    tier,
    tier AS computed,
    toFloat32(tier_score) AS total,
    'none' AS change,
    toUInt32(30 + cityHash64(hu, 'github-age') % 3000) AS github_age,
    toUInt32(greatest(0, dateDiff('day', signed_up_at, day_start))) AS pollinations_age,
    trust,
    toUInt32(cityHash64(hu, 'commits') % 5000) AS commits,
    toUInt32(cityHash64(hu, 'repos') % 80) AS repos,
    toUInt32(cityHash64(hu, 'stars') % 2000) AS stars,
    toFloat32(least(github_age / 365, 5)) AS score_github_age,
    toFloat32(least(pollinations_age / 30, 5)) AS score_pollinations_age,
    toFloat32(trust / 20) AS score_trust,
    toFloat32(least(commits / 1000, 5)) AS score_commits
FROM $snapshot_users
WHERE NOT is_router
