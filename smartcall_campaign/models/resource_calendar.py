# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.easter import easter

from odoo import api, fields, models

# Italian public holidays (Legge 260/1949 and later): fixed dates, plus Easter Monday.
ITALIAN_FIXED_HOLIDAYS = [
    (1, 1, "Capodanno"),
    (1, 6, "Epifania"),
    (4, 25, "Festa della Liberazione"),
    (5, 1, "Festa del Lavoro"),
    (6, 2, "Festa della Repubblica"),
    (8, 15, "Ferragosto"),
    (11, 1, "Ognissanti"),
    (12, 8, "Immacolata Concezione"),
    (12, 25, "Natale"),
    (12, 26, "Santo Stefano"),
]


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    smartcall_italian_holidays = fields.Boolean(
        string="Italian Public Holidays",
        help="The Italian public holidays are added to this calendar's leaves every year "
        "(campaigns using it do not call on 25 April, 15 August...).",
    )

    @api.model
    def _smartcall_italian_holidays(self, year):
        """[(date, name)] of the Italian public holidays of `year`."""
        days = [(date(year, month, day), name) for month, day, name in ITALIAN_FIXED_HOLIDAYS]
        days.append((easter(year) + timedelta(days=1), "Lunedì dell'Angelo"))
        return sorted(days)

    def _smartcall_add_italian_holidays(self, years):
        """Add the Italian public holidays of `years` to the leaves of these calendars (whole
        days in the calendar's time zone); the ones already there are kept."""
        Leave = self.env["resource.calendar.leaves"].sudo()
        for calendar in self:
            tz = pytz.timezone(calendar.tz or "Europe/Rome")
            existing = set(
                Leave.search(
                    [("calendar_id", "=", calendar.id), ("resource_id", "=", False)]
                ).mapped("date_from")
            )
            values = []
            for year in years:
                for day, name in self._smartcall_italian_holidays(year):
                    start = tz.localize(datetime.combine(day, time.min))
                    end = tz.localize(datetime.combine(day, time.max))
                    date_from = start.astimezone(pytz.utc).replace(tzinfo=None)
                    if date_from in existing:
                        continue
                    values.append(
                        {
                            "name": name,
                            "calendar_id": calendar.id,
                            "date_from": date_from,
                            "date_to": end.astimezone(pytz.utc).replace(tzinfo=None, microsecond=0),
                            "time_type": "leave",
                        }
                    )
            Leave.create(values)
        return True

    @api.model
    def _cron_smartcall_italian_holidays(self):
        """Yearly: this year's and next year's Italian public holidays on every calendar that
        asks for them."""
        year = fields.Date.context_today(self).year
        self.search([("smartcall_italian_holidays", "=", True)])._smartcall_add_italian_holidays(
            [year, year + 1]
        )
        return True
