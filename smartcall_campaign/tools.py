# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Small helpers shared by the Smartcall addons (plain functions, no model)."""

import pytz

# The call center's time zone when neither the user nor the campaign has one.
DEFAULT_TZ = "Europe/Rome"


def get_timezone(*names):
    """The pytz time zone of the first of `names` that is set (a user's, a campaign's tz),
    else the call center's default one."""
    return pytz.timezone(next((name for name in names if name), DEFAULT_TZ))


def storable_text(value):
    """Text typed by a user, without what PostgreSQL cannot store (NUL characters, lone
    surrogates); anything that is not text is empty."""
    if not isinstance(value, str):
        return ""
    return value.encode("utf-8", "ignore").decode("utf-8").replace("\x00", "")
