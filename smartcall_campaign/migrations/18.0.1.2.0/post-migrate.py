# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Working hours on resource.calendar: each campaign's hours (work_hour_start, work_hour_end,
work_weekdays) become a working-hours calendar with the Italian public holidays (the default
calendar when they are its hours, Monday-Saturday 09:00-20:00); the old columns are dropped."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)

OLD_COLUMNS = ("work_hour_start", "work_hour_end", "work_weekdays")
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _hhmm(hours):
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def migrate(cr, version):
    if not version or not all(
        column_exists(cr, "smartcall_campaign", column) for column in OLD_COLUMNS
    ):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    default = env.ref("smartcall_campaign.resource_calendar_call_center")
    cr.execute(
        "SELECT id, work_hour_start, work_hour_end, work_weekdays, tz FROM smartcall_campaign"
    )
    calendars = {}
    for campaign_id, start, end, weekdays, tz in cr.fetchall():
        start = 9.0 if start is None else start
        end = 20.0 if end is None else end
        days = sorted(
            {int(day) for day in (weekdays or "").split(",") if day.strip().isdigit()}
            & set(range(7))
        ) or [0, 1, 2, 3, 4, 5]
        key = (start, end, tuple(days), tz or "Europe/Rome")
        if key not in calendars:
            if key == (9.0, 20.0, (0, 1, 2, 3, 4, 5), default.tz):
                calendars[key] = default
            else:
                calendars[key] = env["resource.calendar"].create(
                    {
                        "name": "Call center: %s %s-%s"
                        % (", ".join(DAY_NAMES[d][:3] for d in days), _hhmm(start), _hhmm(end)),
                        "company_id": False,
                        "tz": key[3],
                        "smartcall_italian_holidays": True,
                        "attendance_ids": [(5, 0, 0)]
                        + [
                            (
                                0,
                                0,
                                {
                                    "name": DAY_NAMES[d],
                                    "dayofweek": str(d),
                                    "hour_from": start,
                                    "hour_to": end,
                                    "day_period": "morning",
                                },
                            )
                            for d in days
                        ],
                    }
                )
                calendars[key]._cron_smartcall_italian_holidays()
        env["smartcall.campaign"].browse(campaign_id).resource_calendar_id = calendars[key]
    env.flush_all()
    for column in OLD_COLUMNS:
        cr.execute(SQL("ALTER TABLE smartcall_campaign DROP COLUMN %s", SQL.identifier(column)))
    _logger.info("Working hours: %s campaign calendars in use", len(calendars))
