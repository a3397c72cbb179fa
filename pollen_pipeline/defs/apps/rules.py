"""The apps domain's rules: how a directory listing is matched to the keys that use it.

app_directory has no app id and holds personal data (the owner's GitHub and Discord accounts),
so a listing leaves it as its owner's D1 user id and ``app_key``, a hash of its name as a key
would be named (case and surrounding spaces ignored). A key of app_daily is that listing's when
its owner is the listing's owner and its name hashes to the same ``app_key``. Where events are
matched to listings by GitHub id, as the team's app-ecosystem does, the owner leaves as a hash of
that id (``contract.GITHUB_ID_KEY``).
"""

from __future__ import annotations

from pollen_pipeline import contract

APP_KEY = "cityHash64(lower(trimBoth({name})))"


def fragments() -> dict[str, str]:
    """``$listing_app_key`` (of app_directory's ``name``) and ``$key_app_key`` (of app_daily's
    ``api_key_name``): the one rule, applied to each side of the match; ``$listing_owner_key``,
    the listing's side of ``contract.OWNER_KEY``."""
    return {
        "listing_app_key": APP_KEY.format(name="d.name"),
        "listing_owner_key": contract.GITHUB_ID_KEY.format(github_id="d.github_user_id"),
        "key_app_key": APP_KEY.format(name="api_key_name"),
    }
