# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.sql_db import TestCursor
from odoo.tools import SQL, create_index

_logger = logging.getLogger(__name__)

PROTOCOL_SEQUENCE = "smartcall.contract.protocol"
POSTCOMMIT_KEY = "smartcall_outcomes.protocol_numbering"


def _number_protocols_in_new_transaction(registry):
    """Give their protocol number to the committed contracts still waiting for one, in a
    new short transaction of its own (see `SaleOrder._smartcall_assign_protocol_numbers`).

    READ COMMITTED, not Odoo's REPEATABLE READ: the transaction waits for the counter's row
    lock and then its next statement sees what the transactions before it committed (their
    numbers and the counter), so taking turns never ends in a serialization failure.
    Returns the numbered orders' ids."""
    with registry.cursor() as cr:
        if not isinstance(cr, TestCursor):
            # The first statement of the transaction (test mode shares one open
            # transaction, where the isolation level cannot change any more).
            cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        return env["sale.order"]._smartcall_assign_protocol_numbers().ids


class SaleOrder(models.Model):
    """A contract closed on line (seed 001, type C): a confirmed order with a unique protocol
    number."""

    _inherit = "sale.order"

    smartcall_protocol = fields.Char(
        string="Protocol", copy=False, readonly=True, index="btree_not_null"
    )
    smartcall_protocol_pending = fields.Boolean(
        string="Protocol Being Assigned",
        copy=False,
        readonly=True,
        help="Confirmed call-center contract waiting for its protocol number: it gets it "
        "right after the confirmation is saved (or, at the latest, from the scheduled action "
        "a minute later).",
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

    def init(self):
        res = super().init()
        # Only the few contracts waiting for their number: the numbering step and the cron
        # find them without reading the whole table.
        create_index(
            self.env.cr,
            "sale_order_smartcall_protocol_pending_idx",
            self._table,
            ["date_order", "id"],
            where="smartcall_protocol_pending",
        )
        return res

    # ------------------------------------------------------------------
    # Protocol numbers (seed 001, type C)
    # ------------------------------------------------------------------
    def _action_confirm(self):
        """Seed 001, type C: "Ogni contratto avrà un numero di protocollo univoco".

        Every call-center contract gets a unique protocol number from a gap-free counter
        (the `ir.sequence` "Call-center Contract Protocol", no_gap: managers set its prefix
        and padding in Settings > Technical > Sequences), but NOT in the wrap-up transaction
        that confirms it. That transaction runs in REPEATABLE READ like every Odoo request:
        two overlapping wrap-ups that both bumped the one counter row would conflict and one
        would redo the whole wrap-up. Instead:

        1. the wrap-up confirms the contract without a number, marked
           `smartcall_protocol_pending`, and registers a post-commit hook;
        2. once the wrap-up is committed, the hook numbers, in a separate short READ
           COMMITTED transaction serialised by the counter's row lock, every committed
           contract still waiting, in confirmation order
           (`_smartcall_assign_protocol_numbers`);
        3. if the server dies between the two commits, the scheduled action "Assign
           contract protocol numbers" (every minute) numbers what was left.

        A number is only handed to a committed contract, in the same transaction that bumps
        the counter: a wrap-up rolled back never took one (no gaps) and two numbering
        transactions never run at once (no duplicates)."""
        res = super()._action_confirm()
        contracts = self.filtered(
            lambda o: (
                o.smartcall_call_id
                and not o.smartcall_protocol
                and not o.smartcall_protocol_pending
            )
        )
        if contracts:
            contracts.write({"smartcall_protocol_pending": True})
            self._smartcall_schedule_protocol_numbering()
        return res

    @api.model
    def _smartcall_schedule_protocol_numbering(self):
        """Number the pending contracts right after this transaction commits (once per
        transaction, however many contracts it confirmed). Dropped on rollback, so a
        retried wrap-up registers it again."""
        cr = self.env.cr
        if cr.postcommit.data.get(POSTCOMMIT_KEY):
            return
        cr.postcommit.data[POSTCOMMIT_KEY] = True
        registry = self.env.registry

        def number_protocols():
            # The wrap-up is already committed: a failure here must not turn the operator's
            # confirmation into an error. The contract keeps waiting; the cron numbers it.
            try:
                _number_protocols_in_new_transaction(registry)
            except Exception:
                _logger.exception(
                    "Contract protocol numbering failed after a confirmation; the scheduled "
                    "action will number the waiting contracts."
                )

        cr.postcommit.add(number_protocols)

    @api.model
    def _smartcall_get_protocol_sequence(self):
        sequence = self.env.ref(
            "smartcall_outcomes.sequence_contract_protocol", raise_if_not_found=False
        )
        if not sequence:
            sequence = self.env["ir.sequence"].search(
                [("code", "=", PROTOCOL_SEQUENCE)], order="company_id", limit=1
            )
        return sequence.sudo()

    @api.model
    def _smartcall_assign_protocol_numbers(self):
        """Seed 001, type C, "Ogni contratto avrà un numero di protocollo univoco": give the
        next protocol numbers to the committed contracts waiting for one, oldest
        confirmation first. Returns them.

        Meant for a fresh READ COMMITTED transaction (`_number_protocols_in_new_transaction`,
        used by the post-commit hook and the cron): the row lock on the counter, held until
        this transaction ends, makes numbering transactions take turns; each statement after
        it sees the numbers the previous turn committed, so a contract is numbered once and
        the counter never skips. The counter is the no_gap `ir.sequence`, bumped by
        `_next()` in this same transaction: a number exists only together with its
        contract."""
        sequence = self._smartcall_get_protocol_sequence()
        if not sequence:
            _logger.warning(
                "No sequence %s: call-center contracts wait for their protocol number.",
                PROTOCOL_SEQUENCE,
            )
            return self.browse()
        cr = self.env.cr
        self.env.flush_all()
        # Cheap check first: nothing waiting (another turn numbered ours), no lock taken.
        cr.execute(SQL("SELECT 1 FROM sale_order WHERE smartcall_protocol_pending LIMIT 1"))
        if not cr.fetchone():
            return self.browse()
        # The turn: wait for the counter row (no NOWAIT: waiting is the point).
        cr.execute(SQL("SELECT id FROM ir_sequence WHERE id = %s FOR UPDATE", sequence.id))
        self.env.invalidate_all()  # read the counter and the orders after the lock
        cr.execute(
            SQL(
                """SELECT id FROM sale_order
                    WHERE smartcall_protocol_pending
                    ORDER BY date_order, id
                      FOR UPDATE""",
            )
        )
        orders = self.sudo().browse([row[0] for row in cr.fetchall()])
        for order in orders:
            # Contract numbers from a date-range sequence follow the confirmation date.
            number = sequence._next(sequence_date=fields.Date.to_date(order.date_order))
            order.with_context(tracking_disable=True).write(
                {"smartcall_protocol": number, "smartcall_protocol_pending": False}
            )
        self.env.flush_all()
        return orders

    @api.model
    def _cron_smartcall_assign_protocols(self):
        """Scheduled action (every minute): number the contracts a crash left waiting between
        the wrap-up's commit and its numbering (seed 001: every contract has its protocol
        number). Runs the numbering in its own READ COMMITTED transaction, like the
        post-commit hook."""
        return self.browse(_number_protocols_in_new_transaction(self.env.registry))
