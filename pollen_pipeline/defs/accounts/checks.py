"""Checks the accounts tables share: recounts of the D1 snapshots, Stripe webhooks and product
events they are read from."""

from __future__ import annotations

from pollen_pipeline.checks import CheckContext, Verdict, recount_sides


def accounts_match_snapshot(ctx: CheckContext, counts: str) -> Verdict:
    """Per day: accounts, sign-ups and banned accounts (``counts``: the three as SQL over the
    table's rows of a day) recounted from the day's last snapshot (the latest synced_at of
    each day, by a join rather than IN)."""
    actual = f"SELECT day, {counts} FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day"

    def expected(users: str) -> str:
        return (
            "SELECT toDate(u.synced_at, 'UTC') AS day, count(), "
            "countIf(intDiv(u.created_at, 86400) = toUInt16(day)), countIf(u.banned != 0) "
            f"FROM {users} AS u INNER JOIN (SELECT max(synced_at) AS last FROM {users} "
            "WHERE toDate(synced_at, 'UTC') IN {days:Array(Date)} "
            "GROUP BY toDate(synced_at, 'UTC')) AS l ON u.synced_at = l.last GROUP BY day"
        )

    return recount_sides(ctx, ["d1_user"], actual, expected)


def checkouts_match_webhooks(ctx: CheckContext) -> Verdict:
    """Per day: webhooks and their amount_cents recounted from stripe_event."""
    actual = (
        f"SELECT day, sum(checkouts), sum(amount_cents * checkouts) FROM {ctx.qualified} "
        f"WHERE {ctx.in_window} GROUP BY day"
    )

    def expected(webhooks: str) -> str:
        return (
            "SELECT toDate(timestamp, 'UTC') AS day, count(), sum(toInt64(amount_cents)) "
            f"FROM {webhooks} WHERE day IN {{days:Array(Date)}} GROUP BY day"
        )

    return recount_sides(ctx, ["stripe_event"], actual, expected)


def funnel_matches_sources(ctx: CheckContext) -> Verdict:
    """Per day: product events, signed-in accounts and device flows (a plain uniq of flow ids)
    recounted from product_event, and paid checkouts from stripe_event's paid webhooks."""
    actual = (
        "SELECT day, sumIf(events, origin = 'product_event'), "
        "uniqExactIf(user_id, origin = 'product_event' AND user_id != ''), "
        "uniqMergeIf(flows, origin = 'product_event'), sumIf(events, origin = 'paid_checkout') "
        f"FROM {ctx.qualified} WHERE {ctx.in_window} GROUP BY day"
    )

    def expected(events: str, webhooks: str) -> str:
        return (
            "SELECT day, sum(n), sum(accounts), sum(flows), sum(paid) FROM ("
            "SELECT toDate(timestamp, 'UTC') AS day, count() AS n, "
            "uniqExactIf(user_id, user_id != '') AS accounts, uniq(flow_id) AS flows, 0 AS paid "
            f"FROM {events} WHERE day IN {{days:Array(Date)}} GROUP BY day "
            "UNION ALL SELECT toDate(timestamp, 'UTC') AS day, 0, 0, 0, count() "
            f"FROM {webhooks} WHERE day IN {{days:Array(Date)}} AND livemode = 1 "
            "AND payment_status = {paid_checkout_status:String} "
            "AND event_type IN {paid_checkout_types:Array(String)} GROUP BY day"
            ") GROUP BY day"
        )

    return recount_sides(ctx, ["product_event", "stripe_event"], actual, expected)
