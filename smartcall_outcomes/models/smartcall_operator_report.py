# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.smartcall_campaign.tools import read_group_with_ratios

from .smartcall_outcome import OUTCOME_TYPES

# measure -> (numerator, denominator, factor): ratios recomputed on every aggregated group, since
# an average of per-row ratios would be wrong.
RATIOS = {
    "contact_rate": ("contact_count", "call_count", 100.0),
    "conversion_rate": ("conversion_count", "contact_count", 100.0),
    "appointments_per_hour": ("appointment_count", "worked_hours", 1.0),
}


class SmartcallOperatorReport(models.Model):
    """Calls and worked time per operator, campaign, outcome and hour (seed 001, "Colori degli
    Esiti": the coordinator follows the outcomes of the operators). One row per call and one
    per worked interval of an operator session."""

    _name = "smartcall.operator.report"
    _description = "Call Center Operator Report"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    kind = fields.Selection([("call", "Call"), ("work", "Worked Time")], readonly=True)
    date = fields.Datetime(readonly=True)
    hour = fields.Integer(readonly=True, aggregator=None, help="Hour of the day (campaign tz).")
    user_id = fields.Many2one("res.users", string="Operator", readonly=True)
    campaign_id = fields.Many2one("smartcall.campaign", readonly=True)
    outcome_id = fields.Many2one("smartcall.outcome", readonly=True)
    outcome_type = fields.Selection(OUTCOME_TYPES, readonly=True)
    call_count = fields.Integer(string="Calls", readonly=True, aggregator="sum")
    contact_count = fields.Integer(string="Customers Reached", readonly=True, aggregator="sum")
    conversion_count = fields.Integer(string="Conversions", readonly=True, aggregator="sum")
    appointment_count = fields.Integer(string="Appointments", readonly=True, aggregator="sum")
    sale_count = fields.Integer(string="Contracts", readonly=True, aggregator="sum")
    talk_duration = fields.Integer(string="Talk Time (s)", readonly=True, aggregator="sum")
    worked_hours = fields.Float(readonly=True, aggregator="sum", digits=(16, 2))
    contact_rate = fields.Float(
        string="Contact Rate (%)",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="Customers reached / calls.",
    )
    conversion_rate = fields.Float(
        string="Conversion Rate (%)",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="Appointments and contracts / customers reached.",
    )
    appointments_per_hour = fields.Float(
        string="Appointments per Worked Hour",
        readonly=True,
        aggregator="sum",
        digits=(16, 2),
    )

    def _interval_query(self):
        if not tools.sql.table_exists(self.env.cr, "smartcall_operator_session_interval"):
            return None
        return SQL(
            """
            SELECT i.id * 2 + 1 AS id,
                   'work' AS kind,
                   i.started_at AS date,
                   EXTRACT(hour FROM (i.started_at AT TIME ZONE 'UTC')
                           AT TIME ZONE COALESCE(cp.tz, 'Europe/Rome'))::int AS hour,
                   i.user_id AS user_id,
                   s.campaign_id AS campaign_id,
                   NULL::int AS outcome_id,
                   NULL::varchar AS outcome_type,
                   0 AS call_count, 0 AS contact_count, 0 AS conversion_count,
                   0 AS appointment_count, 0 AS sale_count, 0 AS talk_duration,
                   COALESCE(i.duration, 0) / 3600.0 AS worked_hours
              FROM smartcall_operator_session_interval i
              JOIN smartcall_operator_session s ON s.id = i.session_id
              LEFT JOIN smartcall_campaign cp ON cp.id = s.campaign_id
             WHERE i.state IN ('ready', 'in_call', 'wrap_up') AND i.ended_at IS NOT NULL
            """
        )

    def _call_query(self):
        return SQL(
            """
            SELECT c.id * 2 AS id,
                   'call' AS kind,
                   c.started_at AS date,
                   c.hour AS hour,
                   c.user_id AS user_id,
                   c.campaign_id AS campaign_id,
                   c.outcome_id AS outcome_id,
                   o.type AS outcome_type,
                   1 AS call_count,
                   CASE WHEN o.is_contacted THEN 1 ELSE 0 END AS contact_count,
                   CASE WHEN o.effect IN ('appointment', 'sale') THEN 1 ELSE 0 END
                       AS conversion_count,
                   CASE WHEN o.effect = 'appointment' THEN 1 ELSE 0 END AS appointment_count,
                   CASE WHEN o.effect = 'sale' THEN 1 ELSE 0 END AS sale_count,
                   COALESCE(c.talk_duration, 0) AS talk_duration,
                   0.0 AS worked_hours
              FROM smartcall_call c
              LEFT JOIN smartcall_outcome o ON o.id = c.outcome_id
             WHERE c.state = 'done'
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        parts = [self._call_query()]
        interval = self._interval_query()
        if interval:
            parts.append(interval)
        self.env.cr.execute(
            SQL(
                """CREATE OR REPLACE VIEW %s AS (
                    SELECT u.*, 0.0 AS contact_rate, 0.0 AS conversion_rate,
                           0.0 AS appointments_per_hour
                      FROM (%s) u)""",
                SQL.identifier(self._table),
                SQL(" UNION ALL ").join(parts),
            )
        )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Ratios (contact rate, conversion rate, appointments per worked hour) are computed
        on each group from its sums."""
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
