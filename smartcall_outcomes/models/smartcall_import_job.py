# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# A cell already written in E.164 ("+393471234567", spaces allowed) goes to the list as
# it is: phone.blacklist stores E.164, and the Registro's answers come back in it. Any
# other cell goes through the partner's phone store normaliser (phone_validation).
E164_RE = re.compile(r"^\+[1-9]\d{6,14}$")
SPACES_RE = re.compile(r"\s+")
DNC_BATCH_SIZE = 50000


class SmartcallImportJob(models.Model):
    """Do-not-call numbers (the Registro delle Opposizioni's answer) imported in the
    background: the numbers go to Odoo's phone.blacklist in bulk (one INSERT per batch,
    no chatter message per number), every campaign contact holding one of them is
    excluded, and the campaigns checked get their Registro check date."""

    _inherit = "smartcall.import.job"

    import_type = fields.Selection(
        selection_add=[("dnc", "Do-not-call numbers")], ondelete={"dnc": "cascade"}
    )
    registro_checked_on = fields.Date(
        string="Registro Check Date",
        readonly=True,
        help="Date of the Registro delle Opposizioni check this file answers.",
    )
    registro_campaign_ids = fields.Many2many(
        "smartcall.campaign",
        "smartcall_import_job_registro_campaign_rel",
        "job_id",
        "campaign_id",
        string="Campaigns Checked",
        readonly=True,
        help="Their Registro check date is set when the import ends.",
    )

    def _get_default_batch_size(self):
        if self.import_type == "dnc":
            return DNC_BATCH_SIZE
        return super()._get_default_batch_size()

    def _import_dnc_header(self, cells):
        """The first line is a header when its first cell holds no digit."""
        if any(char.isdigit() for char in cells[0]):
            return None
        return {"0": "number"}

    def _dnc_normalize(self, cell, country):
        compact = SPACES_RE.sub("", cell)
        if E164_RE.match(compact):
            return compact
        return self.env["res.partner"]._smartcall_normalize_phone(
            cell, country, raise_exception=True
        )

    def _import_dnc_batch(self, rows):
        """Blacklist the numbers of `rows` [(line, cells)]: new ones inserted, inactive
        ones reactivated, in one statement; the rest are "already present" (also a number
        repeated in the file)."""
        country = self.env["res.partner"]._smartcall_default_country()
        numbers = {}
        errors = []
        repeated = 0
        for line, cells in rows:
            cell = cells[0] if cells else ""
            if not cell:
                errors.append(
                    (line, ";".join(cells), self.env._("The number is missing (first column)."))
                )
                continue
            try:
                number = self._dnc_normalize(cell, country)
            except UserError as error:  # ValidationError included
                errors.append((line, cell, str(error.args[0])))
                continue
            if number in numbers:
                repeated += 1
            else:
                numbers[number] = line
        added = 0
        if numbers:
            self.env["phone.blacklist"].flush_model()
            added = self.env.execute_query(
                SQL(
                    """WITH input AS (SELECT unnest(%(numbers)s::varchar[]) AS number),
                            reactivated AS (
                                UPDATE phone_blacklist bl
                                   SET active = TRUE, write_uid = %(uid)s,
                                       write_date = now() AT TIME ZONE 'UTC'
                                  FROM input
                                 WHERE bl.number = input.number AND NOT bl.active
                             RETURNING bl.id),
                            inserted AS (
                                INSERT INTO phone_blacklist
                                       (number, active, create_uid, create_date,
                                        write_uid, write_date)
                                SELECT number, TRUE, %(uid)s, now() AT TIME ZONE 'UTC',
                                       %(uid)s, now() AT TIME ZONE 'UTC'
                                  FROM input
                                    ON CONFLICT (number) DO NOTHING
                             RETURNING id)
                       SELECT (SELECT count(*) FROM reactivated)
                              + (SELECT count(*) FROM inserted)""",
                    numbers=list(numbers),
                    uid=self.env.uid,
                )
            )[0][0]
            self.env["phone.blacklist"].invalidate_model()
        return {
            "created": added,
            "existing": len(numbers) - added + repeated,
            "errors": errors,
        }

    def _import_dnc_finish(self):
        """Every campaign contact holding a listed number leaves its campaign (new, queued
        and private-callback ones, as a DNC outcome does); the campaigns checked get their
        Registro check date."""
        excluded = self.env["smartcall.campaign.contact"]._exclude_blacklisted_everywhere(
            self.env._("Do-not-call register (Registro delle Opposizioni)")
        )
        self.registro_campaign_ids.filtered(
            lambda campaign: campaign.state != "done"
        )._record_registro_check(self.registro_checked_on)
        return {"excluded": excluded}
