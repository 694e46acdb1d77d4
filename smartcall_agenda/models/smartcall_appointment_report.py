# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.smartcall_campaign.tools import read_group_with_ratios

# measure -> (numerator, denominator, factor): recomputed on every aggregated group, since an
# average of per-row ratios would be wrong.
RATIOS = {"ko_rate": ("ko_count", "outcome_count", 100.0)}


class SmartcallAppointmentReport(models.Model):
    """Appointments per operator, field agent and back-office state, and the agents' KO rate
    (issue 14, "Reporting"): one row per booked appointment (the ones held during a call and
    not yet confirmed are left out)."""

    _name = "smartcall.appointment.report"
    _description = "Appointment Report"
    _auto = False
    _rec_name = "start"
    _order = "start desc"

    start = fields.Datetime(string="Date", readonly=True)
    event_id = fields.Many2one("calendar.event", string="Appointment", readonly=True)
    agent_id = fields.Many2one("res.users", string="Field Agent", readonly=True)
    booking_operator_id = fields.Many2one("res.users", string="Booked By", readonly=True)
    bo_state_id = fields.Many2one(
        "smartcall.appointment.state", string="Back-office State", readonly=True
    )
    campaign_id = fields.Many2one("smartcall.campaign", readonly=True)
    customer_id = fields.Many2one("res.partner", readonly=True)
    is_replaced = fields.Boolean(readonly=True)
    appointment_count = fields.Integer(string="Appointments", readonly=True, aggregator="sum")
    outcome_count = fields.Integer(
        string="With an Outcome",
        readonly=True,
        aggregator="sum",
        help="Appointments whose back-office state is an outcome (e.g. Visited, KO).",
    )
    ko_count = fields.Integer(string="KO", readonly=True, aggregator="sum")
    ko_rate = fields.Float(
        string="KO Rate (%)",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="KO appointments / appointments with a back-office outcome.",
    )

    def _query(self):
        return SQL(
            """
            SELECT e.id AS id,
                   e.id AS event_id,
                   e.start AS start,
                   e.agent_id AS agent_id,
                   e.booking_operator_id AS booking_operator_id,
                   e.bo_state_id AS bo_state_id,
                   e.campaign_id AS campaign_id,
                   e.customer_id AS customer_id,
                   COALESCE(e.is_replaced, FALSE) AS is_replaced,
                   1 AS appointment_count,
                   CASE WHEN s.is_outcome OR s.is_ko THEN 1 ELSE 0 END AS outcome_count,
                   CASE WHEN s.is_ko THEN 1 ELSE 0 END AS ko_count,
                   0.0 AS ko_rate
              FROM calendar_event e
              LEFT JOIN smartcall_appointment_state s ON s.id = e.bo_state_id
             WHERE e.agent_id IS NOT NULL
               AND e.active
               AND e.booking_state IS DISTINCT FROM 'held'
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """The KO rate is computed on each group from its sums."""
        return read_group_with_ratios(
            super().read_group,
            RATIOS,
            domain,
            fields,
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
