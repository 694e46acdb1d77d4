# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

MAX_FILE_BYTES = 200 * 1024 * 1024


class SmartcallDncImport(models.TransientModel):
    """Numbers found in the Registro delle Opposizioni check (seed 000, DNC): they go to the
    do-not-call list and leave every campaign. The file is imported in the background
    (smartcall.import.job); the campaigns checked get their Registro check date when it
    ends."""

    _name = "smartcall.dnc.import"
    _description = "Import Do-Not-Call Numbers"

    file = fields.Binary(required=True, help="CSV or TXT file, one number per line.")
    filename = fields.Char()
    checked_on = fields.Date(
        string="Registro Check Date",
        required=True,
        default=fields.Date.context_today,
        help="Date of the Registro delle Opposizioni check this file answers.",
    )
    campaign_ids = fields.Many2many(
        "smartcall.campaign",
        string="Campaigns Checked",
        default=lambda self: self._default_campaign_ids(),
        help="Campaigns whose contacts were sent to this Registro check: their Registro "
        "check date becomes the date above when the import ends.",
    )

    def _default_campaign_ids(self):
        return self.env["smartcall.campaign"].search([("state", "!=", "done")])

    def action_import(self):
        """Queue the file as a background job and open it (progress, cancel, report)."""
        self.ensure_one()
        if not self.env.user.has_group("smartcall_campaign.group_supervisor"):
            raise AccessError(self.env._("Only supervisors can import do-not-call numbers."))
        content = base64.b64decode(self.file or b"")
        if len(content) > MAX_FILE_BYTES:
            raise UserError(self.env._("The file is too large (max 200 MB)."))
        job = self.env["smartcall.import.job"]._create_job(
            "dnc",
            content,
            self.filename or "dnc.csv",
            self.env._("Do-not-call numbers: %(file)s", file=self.filename or "dnc.csv"),
            {
                "registro_checked_on": self.checked_on,
                "registro_campaign_ids": [fields.Command.set(self.campaign_ids.ids)],
            },
        )
        return job._get_form_action()
