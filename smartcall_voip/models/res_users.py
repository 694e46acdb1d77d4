# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

EXTENSION_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*/[A-Za-z0-9_.@+-]{1,80}$")


class ResUsers(models.Model):
    _inherit = "res.users"

    pbx_id = fields.Many2one(
        "smartcall.pbx",
        string="PBX",
        ondelete="restrict",
        index="btree_not_null",
        help="The Asterisk server that rings this operator's softphone.",
    )
    pbx_extension = fields.Char(
        string="Extension",
        help="The operator's softphone as Asterisk dials it, e.g. PJSIP/201.",
    )

    @api.constrains("pbx_id", "pbx_extension")
    def _check_pbx_extension(self):
        for user in self:
            if not user.pbx_extension and not user.pbx_id:
                continue
            if not user.pbx_id or not user.pbx_extension:
                raise ValidationError(
                    self.env._("Give the operator both a PBX and an extension, or neither.")
                )
            if not EXTENSION_RE.match(user.pbx_extension):
                raise ValidationError(
                    self.env._(
                        "%(extension)s is not an Asterisk channel: write it as "
                        "TECHNOLOGY/resource, e.g. PJSIP/201.",
                        extension=user.pbx_extension,
                    )
                )
            twin = self.sudo().search(
                [
                    ("id", "!=", user.id),
                    ("pbx_id", "=", user.pbx_id.id),
                    ("pbx_extension", "=", user.pbx_extension),
                ],
                limit=1,
            )
            if twin:
                raise ValidationError(
                    self.env._(
                        "The extension %(extension)s is already %(user)s's on this PBX.",
                        extension=user.pbx_extension,
                        user=twin.name,
                    )
                )
