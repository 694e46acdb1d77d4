# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

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

    @api.model
    def _smartcall_lock_protocol_sequence(self):
        """Queue for the protocol counter at the start of a contract's wrap-up. The no_gap
        sequence row is the one place all contracts meet: waiting for it here (instead of the
        NOWAIT failure next_by_code gives when another wrap-up holds it) makes concurrent
        contracts take turns; one that finds it changed meanwhile fails at once with a
        serialization error, before any work, and the RPC layer retries it."""
        sequence = self.env.ref(
            "smartcall_outcomes.sequence_contract_protocol", raise_if_not_found=False
        )
        if sequence:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM ir_sequence WHERE id = %s FOR NO KEY UPDATE",
                    sequence.id,
                )
            )

    def _action_confirm(self):
        """Seed 001, type C: "Ogni contratto avrà un numero di protocollo univoco": the
        call-center contract gets its number, from a no-gap sequence, when it is confirmed."""
        res = super()._action_confirm()
        contracts = self.filtered(lambda o: o.smartcall_call_id and not o.smartcall_protocol)
        if contracts:
            # no_gap: the number is taken under a row lock held until commit, so a rolled back
            # wrap-up gives its number back and there are no holes.
            sequence = self.env["ir.sequence"].sudo()
            for order in contracts:
                order.smartcall_protocol = sequence.next_by_code(PROTOCOL_SEQUENCE)
        return res
