# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmartcallAppointmentReassign(models.TransientModel):
    """The back office gives an appointment to another field agent (seed 004, "Backoffice -
    Appuntamenti"). The rules are the appointment's `_reassign_agent`: the new agent's
    spacing, the attendees, the message to both agents."""

    _name = "smartcall.appointment.reassign"
    _description = "Reassign an Appointment to Another Field Agent"

    event_id = fields.Many2one(
        "calendar.event",
        string="Appointment",
        required=True,
        ondelete="cascade",
        domain=[("agent_id", "!=", False)],
    )
    start = fields.Datetime(related="event_id.start")
    customer_id = fields.Many2one(related="event_id.customer_id")
    location = fields.Char(related="event_id.location")
    current_agent_id = fields.Many2one(related="event_id.agent_id", string="Current Agent")
    agent_id = fields.Many2one(
        "res.users",
        string="New Agent",
        required=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("smartcall_campaign.group_field_agent").id),
            ("share", "=", False),
        ],
    )
    agent_is_free = fields.Boolean(
        compute="_compute_agent_is_free",
        help="The new agent has no appointment too close to this one.",
    )
    serves_area = fields.Boolean(
        compute="_compute_agent_is_free",
        help="The new agent serves the customer's province.",
    )
    reason = fields.Text(help="Added to the message the two agents receive.")

    @api.depends("agent_id", "event_id")
    def _compute_agent_is_free(self):
        Event = self.env["calendar.event"]
        for wizard in self:
            event, agent = wizard.event_id, wizard.agent_id
            wizard.agent_is_free = bool(
                event
                and agent
                and Event._get_agent_free_slots(agent, candidates=[event.start], exclude=event)
            )
            province = event.customer_id.state_id
            wizard.serves_area = bool(
                agent and (not province or province in agent.sudo().smartcall_agent_province_ids)
            )

    def action_reassign(self):
        self.ensure_one()
        self.event_id._reassign_agent(self.agent_id, reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
