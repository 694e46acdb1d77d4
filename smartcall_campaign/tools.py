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


def read_group_with_ratios(read_group, ratios, domain, fields, groupby, **kwargs):
    """`read_group` (a report's super().read_group) with `ratios` computed on each group from
    its sums, never summed row by row: {ratio field: (numerator, denominator, factor)}. The
    sums a ratio needs are asked for when the caller did not ask for them."""
    names = {spec.split(":")[0] for spec in fields}
    wanted = [name for name in ratios if name in names]
    if wanted:
        extra = {part for name in wanted for part in ratios[name][:2]} - names
        fields = list(fields) + [f"{name}:sum" for name in sorted(extra)]
    groups = read_group(domain, fields, groupby, **kwargs)
    for group in groups:
        for name in wanted:
            numerator, denominator, factor = ratios[name]
            total = group.get(denominator) or 0
            group[name] = (group.get(numerator) or 0) * factor / total if total else 0.0
    return groups
