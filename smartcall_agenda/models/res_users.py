# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    smartcall_agent_province_ids = fields.Many2many(
        "res.country.state",
        "smartcall_agent_province_rel",
        "user_id",
        "state_id",
        string="Provinces Served",
        help="The field agent visits customers in these provinces: the operators see them in "
        "the appointment form of these customers.",
    )

    smartcall_default_appointment_state_id = fields.Many2one(
        "smartcall.appointment.state",
        string="Default Appointment State",
        help="The state this user's bookings get (seed 004: 'stato di default degli "
        "appuntamenti letto dalle opzioni dell'utente'); empty: the state marked default.",
    )

    @api.model
    def _get_agents_for_partner(self, partner):
        """Seed 003, 4.1: the agents available "in una determinata zona": the field agents
        serving the customer's province (every field agent when the province is unknown)."""
        group = self.env.ref("smartcall_campaign.group_field_agent")
        domain = [("groups_id", "in", group.id), ("share", "=", False)]
        if partner.state_id:
            domain.append(("smartcall_agent_province_ids", "in", partner.state_id.id))
        return self.sudo().search(domain, order="name, id")
