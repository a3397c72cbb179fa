"""The report's numbers for a range of UTC days, read from the summary tables only.

Every figure follows the truth contract because the tables do (production, 2xx, billable, no
bug window, no excluded users; ROUTER out of economics). ``report_numbers`` is what
``report.json`` holds; ``headline`` (the demo's terminal summary) reads the same functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pollen_pipeline import contract
from pollen_pipeline.store import Store

TOP_MODELS = 10
TOP_APPS = 10
RISING = 5
# Numbers compared with the previous range in ``change`` (current - previous; shares in points).
COMPARED = (
    "total_pollen",
    "pack_pollen",
    "tier_pollen",
    "other_pollen",
    "paid_share",
    "free_share",
    "router_share",
    "requests",
    "active_users",
    "conversion_rate_7d",
)


@dataclass(frozen=True)
class Span:
    """The UTC days ``first`` .. ``last``, both included."""

    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Span:
        """The span of as many days just before this one."""
        return Span(self.first - dt.timedelta(days=self.days), self.first - dt.timedelta(days=1))

    def params(self) -> dict[str, dt.date]:
        return {"first": self.first, "last": self.last}


def ratio(part: float | None, whole: float | None) -> float | None:
    return part / whole if part is not None and whole else None


def totals(store: Store, span: Span) -> dict[str, Any]:
    """Pollen by meter, requests and active developers (ROUTER out), and ROUTER's share of all
    consumption (ROUTER in)."""
    pack, tier, other, requests, users = store.rows(
        "SELECT sum(pack_pollen), sum(tier_pollen), sum(other_pollen), sum(requests), "
        f"uniqExact(user_id) FROM {store.table('user_daily')} "
        "WHERE day BETWEEN {first:Date} AND {last:Date}",
        span.params(),
    )[0]
    router, passed = store.rows(
        f"SELECT sum(router_pollen), sum(passed_pollen) FROM {store.table('data_quality_daily')} "
        "WHERE day BETWEEN {first:Date} AND {last:Date}",
        span.params(),
    )[0]
    return {
        "total_pollen": pack + tier + other,
        "pack_pollen": pack,
        "tier_pollen": tier,
        "other_pollen": other,
        "paid_share": ratio(pack, pack + tier),
        "free_share": ratio(tier, pack + tier),
        "router_share": ratio(router, passed),
        "requests": requests,
        "active_users": users,
    }


def conversion_7d(store: Store, span: Span) -> tuple[int, int]:
    """As the Economics dashboard: (converted within 7 days, users) of every cohort at least 7
    days old, as known on the latest day on or before the span's end."""
    users, converted = store.rows(
        "SELECT sum(users), sum(converted_7d) "
        f"FROM {store.table('cohort_conversion_daily')} "
        f"WHERE as_of = (SELECT max(as_of) FROM {store.table('cohort_conversion_daily')} "
        "WHERE as_of <= {last:Date}) AND is_final_7d = 1",
        span.params(),
    )[0]
    return converted, users


def top_models(store: Store, span: Span, order: str = "total_pollen") -> list[dict[str, Any]]:
    """The models with the most Pollen (or the most of ``order``: pack_pollen, tier_pollen)."""
    rows = store.rows(
        "SELECT resolved_model_requested AS model, sum(total_pollen) AS total_pollen, "
        "sum(pack_pollen) AS pack_pollen, sum(tier_pollen) AS tier_pollen "
        f"FROM {store.table('model_daily')} WHERE day BETWEEN {{first:Date}} AND {{last:Date}} "
        f"GROUP BY model HAVING {order} > 0 ORDER BY {order} DESC, model LIMIT {TOP_MODELS}",
        span.params(),
    )
    return [
        {
            "model": model,
            "total_pollen": total,
            "pack_pollen": pack,
            "tier_pollen": tier,
            "paid_share": ratio(pack, pack + tier),
        }
        for model, total, pack, tier in rows
    ]


# An app as the dashboards' rankings count it: a BYOP app's end-user keys are one.
_APP_ID = contract.app_id(contract.FACTS_ENDUSER_KEY)
_APP_DEVELOPER = contract.app_developer(contract.FACTS_ENDUSER_KEY)


def top_apps(store: Store, span: Span) -> list[dict[str, Any]]:
    """Named apps with the most Pollen, with their developer and paid share."""
    rows = store.rows(
        f"SELECT argMax(api_key_name, day) AS app, argMax({_APP_DEVELOPER}, day), "
        "sum(total_pollen) AS pollen, sum(pack_pollen), sum(tier_pollen) "
        f"FROM {store.table('app_daily')} WHERE day BETWEEN {{first:Date}} AND {{last:Date}} "
        f"AND is_named_app = 1 GROUP BY {_APP_ID} ORDER BY pollen DESC, app LIMIT {TOP_APPS}",
        span.params(),
    )
    return [
        {
            "app": app,
            "developer": developer,
            "total_pollen": pollen,
            "paid_share": ratio(pack, pack + tier),
        }
        for app, developer, pollen, pack, tier in rows
    ]


def rising_developers(store: Store, span: Span) -> list[dict[str, Any]]:
    """Developers by momentum (pack 7d / pack 30d) on the span's last day, above the seed's
    noise threshold (``qualifies``)."""
    rows = store.rows(
        "SELECT user_github_username, momentum, pack_7d, pack_30d "
        f"FROM {store.table('user_windows')} WHERE as_of = {{last:Date}} AND qualifies = 1 "
        f"ORDER BY momentum DESC, pack_30d DESC, user_id LIMIT {RISING}",
        span.params(),
    )
    return [
        {"developer": name, "momentum": momentum, "pack_7d": pack_7d, "pack_30d": pack_30d}
        for name, momentum, pack_7d, pack_30d in rows
    ]


def highest_pack_30d(store: Store, span: Span) -> float:
    """The largest 30-day pack Pollen of any developer on the span's last day."""
    top = store.scalar(
        f"SELECT max(pack_30d) FROM {store.table('user_windows')} WHERE as_of = {{last:Date}}",
        span.params(),
    )
    return top or 0.0


def period(store: Store, span: Span) -> dict[str, Any]:
    """The headline figures of one span."""
    return {
        "start": span.first.isoformat(),
        "end": span.last.isoformat(),
        **totals(store, span),
        "conversion_rate_7d": ratio(*conversion_7d(store, span)),
        "top_models": top_models(store, span),
        "top_apps": top_apps(store, span),
        "rising_developers": rising_developers(store, span),
    }


def daily(store: Store, span: Span) -> list[dict[str, Any]]:
    """Per day of the span with data: paid, free and other Pollen and the free share."""
    rows = store.rows(
        "SELECT day, sum(pack_pollen), sum(tier_pollen), sum(other_pollen) "
        f"FROM {store.table('user_daily')} WHERE day BETWEEN {{first:Date}} AND {{last:Date}} "
        "GROUP BY day ORDER BY day",
        span.params(),
    )
    return [
        {
            "day": day.isoformat(),
            "pack_pollen": pack,
            "tier_pollen": tier,
            "other_pollen": other,
            "free_share": ratio(tier, pack + tier),
        }
        for day, pack, tier, other in rows
    ]


def cohorts(store: Store, span: Span) -> list[dict[str, Any]]:
    """Tier-to-pack conversion of the cohorts (first tier day) of the span, as known on its
    last day; a 7-day rate is final once the cohort is 7 days old."""
    rows = store.rows(
        "SELECT cohort_day, users, converted_7d, converted_30d, is_final_7d "
        f"FROM {store.table('cohort_conversion_daily')} "
        "WHERE as_of = {last:Date} AND cohort_day BETWEEN {first:Date} AND {last:Date} "
        "ORDER BY cohort_day",
        span.params(),
    )
    return [
        {
            "cohort_day": day.isoformat(),
            "users": users,
            "converted_7d": converted_7d,
            "converted_30d": converted_30d,
            "final_7d": bool(final),
        }
        for day, users, converted_7d, converted_30d, final in rows
    ]


def tier_grants(store: Store, span: Span) -> list[dict[str, Any]]:
    """Per tier: developer-days, free Pollen against the grants, developer-days at the grant."""
    rows = store.rows(
        "SELECT user_tier, sum(users), sum(tier_pollen), sum(grant_pollen), sum(users_at_grant) "
        f"FROM {store.table('tier_daily')} WHERE day BETWEEN {{first:Date}} AND {{last:Date}} "
        "GROUP BY user_tier HAVING sum(grant_pollen) > 0 ORDER BY sum(grant_pollen) / sum(users)",
        span.params(),
    )
    return [
        {
            "tier": tier,
            "developer_days": users,
            "tier_pollen": pollen,
            "grant_pollen": grant,
            "grant_used_share": ratio(pollen, grant),
            "at_grant_share": ratio(at_grant, users),
        }
        for tier, users, pollen, grant, at_grant in rows
    ]


def simulator(store: Store, span: Span) -> list[dict[str, Any]]:
    """Per budget scenario: free Pollen actual and simulated, and developer-days capped."""
    rows = store.rows(
        "SELECT scenario, sum(actual_tier_pollen), sum(simulated_tier_pollen), "
        "sum(users_capped), sum(users) "
        f"FROM {store.table('tier_simulation_daily')} "
        "WHERE day BETWEEN {first:Date} AND {last:Date} GROUP BY scenario ORDER BY scenario",
        span.params(),
    )
    return [
        {
            "scenario": scenario,
            "actual_tier_pollen": actual,
            "simulated_tier_pollen": simulated,
            "saved_share": ratio(actual - simulated, actual),
            "capped_share": ratio(capped, developer_days),
        }
        for scenario, actual, simulated, capped, developer_days in rows
    ]


def data_quality(store: Store, span: Span) -> dict[str, Any]:
    """Checks whose latest evaluation of a partition in the span failed, the span's days the
    bug window touches and what it removed, and the other-meter share of economics Pollen."""
    bug_events, other, economics = store.rows(
        "SELECT sum(bug_window_events), sum(other_meter_pollen), sum(economics_pollen) "
        f"FROM {store.table('data_quality_daily')} "
        "WHERE day BETWEEN {first:Date} AND {last:Date}",
        span.params(),
    )[0]
    return {
        "failed_checks": failed_checks(store, span),
        "bug_window_days": bug_window_days(span),
        "bug_window_events": bug_events,
        "other_meter_share": ratio(other, economics),
    }


def failed_checks(store: Store, span: Span) -> list[dict[str, Any]]:
    rows = store.rows(
        "SELECT asset, check_name, partition, argMax(severity, evaluated_at), "
        "argMax(description, evaluated_at) "
        f"FROM {store.table('pipeline_check_results')} "
        "WHERE partition != '' "
        "AND toDate(splitByString('..', partition)[1]) <= {last:Date} "
        "AND toDate(splitByString('..', partition)[-1]) >= {first:Date} "
        "GROUP BY asset, check_name, partition HAVING argMax(passed, evaluated_at) = 0 "
        "ORDER BY asset, check_name, partition",
        span.params(),
    )
    return [
        {
            "asset": asset,
            "check": check,
            "partition": partition,
            "severity": severity,
            "description": description,
        }
        for asset, check, partition, severity, description in rows
    ]


def bug_window_days(span: Span) -> list[str]:
    """The span's UTC days that the meter:combined bug window touches."""
    first = max(span.first, contract.BUG_WINDOW_START.date())
    last = min(span.last, contract.BUG_WINDOW_END.date())
    return [(first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def has_data(store: Store, span: Span) -> bool:
    """Whether any economics day of the span was materialized."""
    return bool(
        store.scalar(
            f"SELECT count() FROM {store.table('user_daily')} "
            "WHERE day BETWEEN {first:Date} AND {last:Date}",
            span.params(),
        )
    )


def changes(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, float | None]:
    """current - previous for each compared figure (None where either is undefined)."""
    return {
        name: None
        if current[name] is None or previous[name] is None
        else current[name] - previous[name]
        for name in COMPARED
    }


def report_numbers(store: Store, span: Span) -> dict[str, Any]:
    """Everything ``report.json`` holds for ``span`` and the span before it."""
    before = span.previous()
    current, previous = period(store, span), period(store, before)
    return {
        **current,
        "empty": not has_data(store, span),
        "previous": previous,
        "change": changes(current, previous),
        "data_quality": data_quality(store, span),
        "daily": daily(store, span),
        "top_models_by_paid": top_models(store, span, "pack_pollen"),
        "top_models_by_free": top_models(store, span, "tier_pollen"),
        "cohorts": cohorts(store, Span(before.first, span.last)),
        "tier_grants": tier_grants(store, span),
        "simulator": simulator(store, span),
    }
