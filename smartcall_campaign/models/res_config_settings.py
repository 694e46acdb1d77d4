# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    smartcall_claim_timeout_minutes = fields.Integer(
        string="Stale operator timeout (minutes)",
        default=15,
        config_parameter="smartcall_campaign.claim_timeout_minutes",
        help="A contact held by an operator whose console gave no sign of life for this long "
        "goes back to the queue.",
    )
    smartcall_default_retry_wait_minutes = fields.Integer(
        string="Default retry wait (minutes)",
        default=60,
        config_parameter="smartcall_campaign.default_retry_wait_minutes",
    )
    smartcall_default_region = fields.Char(
        string="Default phone region",
        default="IT",
        config_parameter="smartcall_campaign.default_region",
        help="Country code used to read numbers written without international prefix.",
    )
    smartcall_registro_validity_days = fields.Integer(
        string="Registro check validity (days)",
        default=30,
        config_parameter="smartcall_campaign.registro_validity_days",
        help="A campaign whose contacts were checked against the Registro delle Opposizioni "
        "longer ago than this builds no work plan (DPR 26/2022: at least monthly).",
    )

    @api.constrains("smartcall_registro_validity_days")
    def _check_smartcall_registro_validity_days(self):
        for settings in self:
            if settings.smartcall_registro_validity_days < 1:
                raise ValidationError(
                    self.env._("The Registro check validity must be at least one day.")
                )
