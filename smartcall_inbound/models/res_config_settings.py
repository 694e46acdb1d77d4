# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    smartcall_inbound_show_outbound_on_close = fields.Boolean(
        string="CI0036 - Inbound: on closing, show the Outbound situation",
        config_parameter="smartcall_inbound.show_outbound_on_close",
        help="CI0036 (Call Center Inbound: su chiusura contatto inbound visualizza situazione "
        "in Outbound): when an inbound call is closed, show the customer's outbound "
        "campaigns and let the operator close the contact there or change its state.",
    )
    smartcall_inbound_last_contacts_count = fields.Integer(
        string="Last contacts shown (N inbound + N outbound)",
        default=3,
        config_parameter="smartcall_inbound.last_contacts_count",
        help="The inbound call form lists the customer's last N inbound and last N outbound "
        "calls.",
    )
