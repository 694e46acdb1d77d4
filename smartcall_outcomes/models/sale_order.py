# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

PROTOCOL_SEQUENCE = "smartcall.contract.protocol"


class SaleOrder(models.Model):
    """A contract closed on line (seed 001, type C): a confirmed order with a unique protocol
    number."""

    _inherit = "sale.order"

    smartcall_protocol = fields.Char(
        string="Protocol", copy=False, readonly=True, index="btree_not_null"
    )
    smartcall_call_id = fields.Many2one(
        "smartcall.call",
        string="Call",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    smartcall_campaign_id = fields.Many2one(
        "smartcall.campaign", string="Call-center Campaign", copy=False, readonly=True
    )

    _sql_constraints = [
        (
            "smartcall_protocol_uniq",
            "unique(smartcall_protocol)",
            "This protocol number is already used by another contract.",
        ),
    ]

    def _action_confirm(self):
        """Seed 001, type C: "Ogni contratto avrà un numero di protocollo univoco".

        A call-center contract takes its number from the `ir.sequence` "Call-center Contract
        Protocol" (standard implementation: a PostgreSQL sequence) in the transaction that
        confirms it, the operator's wrap-up. The number is unique and costs no lock, so
        operators closing sales at the same time never wait for each other; a wrap-up
        rolled back leaves its number unused (a gap), which nothing requires to be filled
        (see the readme)."""
        res = super()._action_confirm()
        contracts = self.filtered(lambda o: o.smartcall_call_id and not o.smartcall_protocol)
        if contracts:
            sequence = self.env["ir.sequence"].sudo()
            for order in contracts:
                # Contract numbers from a date-range sequence follow the confirmation date.
                number = sequence.next_by_code(
                    PROTOCOL_SEQUENCE, sequence_date=fields.Date.to_date(order.date_order)
                )
                if not number:
                    raise UserError(
                        self.env._(
                            "The contract cannot be confirmed: the sequence of the contract "
                            "protocol numbers (%(code)s) is missing. Ask your administrator to "
                            "restore it in Settings > Technical > Sequences.",
                            code=PROTOCOL_SEQUENCE,
                        )
                    )
                order.smartcall_protocol = number
        return res
