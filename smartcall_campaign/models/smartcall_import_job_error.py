# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallImportJobError(models.Model):
    """A row of an import job's file that was not imported: its line and the reason."""

    _name = "smartcall.import.job.error"
    _description = "Rejected Row of an Import"
    _order = "job_id, line, id"

    job_id = fields.Many2one("smartcall.import.job", required=True, ondelete="cascade", index=True)
    line = fields.Integer(required=True)
    value = fields.Char(help="The row as read in the file (shortened).")
    reason = fields.Char(required=True)
