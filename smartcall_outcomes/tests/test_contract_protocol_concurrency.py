# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=invalid-commit
"""Protocol numbers under concurrent confirmations, with real PostgreSQL connections.

The wrap-ups confirm their contracts without a number; the post-commit hook of each one numbers
the committed contracts in its own READ COMMITTED transaction (sale_order.py). A test cursor
never commits and drops post-commit hooks, so this test opens real connections
(odoo.sql_db.db_connect), commits its fixtures and removes them afterwards: the hooks really
run, in the operators' threads, as in the RPC workers."""

import random
import threading
import time
import uuid
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

from odoo.addons.smartcall_campaign.tests.common import RETRYABLE, create_race_fixture

from ..models import sale_order as sale_order_module


def run_retrying(dbname, func, max_tries=50, retries=None, drop_postcommit=False):
    """What Odoo's RPC layer does on a concurrency error: roll back and run it again.
    `retries` (a list) collects the errors retried; `drop_postcommit` simulates a crash right
    after the commit, before the post-commit hooks run."""
    for _try in range(max_tries):
        with db_connect(dbname).cursor() as cr:
            try:
                result = func(cr)
                if drop_postcommit:
                    cr.postcommit.clear()
                cr.commit()
                return result
            except RETRYABLE as error:
                cr.rollback()
                if retries is not None:
                    retries.append(repr(error))
        time.sleep(random.uniform(0, 0.02))
    raise AssertionError("too many retries")


@tagged("post_install", "-at_install", "-standard", "smartcall_concurrency")
class TestProtocolConcurrency(TransactionCase):
    n_operators = 8
    per_operator = 5

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = cls.env.cr.dbname
        cls.tag = uuid.uuid4().hex[:8]
        with db_connect(cls.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            users, campaign = create_race_fixture(
                env, "Protocol", cls.tag, cls.n_operators, tz="Europe/Rome"
            )
            product = env["product.product"].create(
                {"name": f"Race product {cls.tag}", "list_price": 10.0}
            )
            partners = env["res.partner"].create(
                [
                    {"name": f"Race customer {cls.tag} {i}", "phone": f"0881 9{i:05d}"}
                    for i in range(cls.n_operators * cls.per_operator + 1)
                ]
            )
            contacts = env["smartcall.campaign.contact"].create(
                [
                    {"campaign_id": campaign.id, "partner_id": p.id, "state": "queued"}
                    for p in partners
                ]
            )
            # the last one is for the crash test
            cls.crash_contact_id = contacts[-1].id
            cls.work = {}
            for index, user in enumerate(users):
                mine = contacts[index * cls.per_operator : (index + 1) * cls.per_operator]
                cls.work[user.id] = mine.ids
            cls.sequence_id = env.ref("smartcall_outcomes.sequence_contract_protocol").id
            cls.start_number = env["ir.sequence"].browse(cls.sequence_id).number_next
            cls.user_ids, cls.campaign_id = users.ids, campaign.id
            cls.product_id, cls.partner_ids = product.id, partners.ids
            cls.outcome_id = env.ref("smartcall_outcomes.outcome_vend").id
            cr.commit()

    @classmethod
    def tearDownClass(cls):
        with db_connect(cls.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            orders = env["sale.order"].search([("partner_id", "in", cls.partner_ids)])
            orders.order_line.write(
                {"state": "cancel"} if "state" in orders.order_line._fields else {}
            )
            orders.write({"state": "cancel"})
            orders.unlink()
            env["smartcall.call"].search([("campaign_id", "=", cls.campaign_id)]).unlink()
            env["smartcall.operator.session"].search([("user_id", "in", cls.user_ids)]).unlink()
            env["smartcall.campaign"].browse(cls.campaign_id).unlink()
            env["res.partner"].browse(cls.partner_ids).unlink()
            env["product.product"].browse(cls.product_id).product_tmpl_id.unlink()
            env["res.users"].browse(cls.user_ids).unlink()
            # the committed confirmations advanced the sequence: give the numbers back
            env["ir.sequence"].browse(cls.sequence_id).number_next = cls.start_number
            cr.commit()
        super().tearDownClass()

    def _sell(self, user_id, contact_id, retries=None, drop_postcommit=False):
        def claim(cr):
            env = api.Environment(cr, user_id, {})
            campaign = env["smartcall.campaign"].browse(self.campaign_id)
            contact = env["smartcall.campaign.contact"].browse(contact_id)
            campaign._claim_contact(contact, env.user)

        def confirm(cr):
            env = api.Environment(cr, user_id, {})
            contact = env["smartcall.campaign.contact"].browse(contact_id)
            call = contact._confirm_outcome(
                {
                    "outcome_id": self.outcome_id,
                    "notes": "race",
                    "cart": [{"product_id": self.product_id, "quantity": 1}],
                }
            )
            return call.sale_order_id.id

        run_retrying(self.dbname, claim)
        return run_retrying(self.dbname, confirm, retries=retries, drop_postcommit=drop_postcommit)

    def _read_orders(self, order_ids):
        """{order id: (protocol, pending)} as committed."""
        with db_connect(self.dbname).cursor() as cr:
            cr.execute(
                "SELECT id, smartcall_protocol, smartcall_protocol_pending FROM sale_order"
                " WHERE id = ANY(%s) AND state = 'sale'",
                [list(order_ids)],
            )
            return {row[0]: (row[1], row[2]) for row in cr.fetchall()}

    def _read_sequence(self):
        """The counter's next number, as committed."""
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["ir.sequence"].browse(self.sequence_id).number_next

    def _protocol(self, number):
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["ir.sequence"].browse(self.sequence_id).get_next_char(number)

    def test_protocols_unique_and_gap_free_under_concurrent_confirmations(self):
        start = self._read_sequence()
        order_ids, errors, confirm_retries = [], [], []
        numbering_runs, numbering_errors = [], []
        barrier = threading.Barrier(self.n_operators)
        original = sale_order_module._number_protocols_in_new_transaction

        def numbering(registry):
            # the post-commit hook's numbering step, watched: any error (a serialization
            # failure, a lock timeout) is recorded before the hook swallows it
            try:
                numbered = original(registry)
            except Exception as error:
                numbering_errors.append(repr(error))
                raise
            numbering_runs.append(len(numbered))
            return numbered

        def operator(user_id):
            try:
                barrier.wait()
                for contact_id in self.work[user_id]:
                    order_ids.append(self._sell(user_id, contact_id, retries=confirm_retries))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(repr(error))

        with patch.object(sale_order_module, "_number_protocols_in_new_transaction", numbering):
            threads = [threading.Thread(target=operator, args=(uid,)) for uid in self.user_ids]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        self.assertEqual(errors, [])
        total = self.n_operators * self.per_operator
        self.assertEqual(len(order_ids), total, "one contract per confirmation")
        self.assertEqual(numbering_errors, [], "no failure in the numbering step")
        self.assertEqual(len(numbering_runs), total, "one numbering hook per wrap-up")
        self.assertEqual(sum(numbering_runs), total, "each contract numbered exactly once")
        self.assertEqual(
            [e for e in confirm_retries if "SerializationFailure" in e],
            [],
            "the wrap-ups no longer conflict on the protocol counter",
        )
        orders = self._read_orders(order_ids)
        self.assertEqual(len(orders), total, "every contract committed and confirmed")
        self.assertFalse([oid for oid, (_p, pending) in orders.items() if pending])
        protocols = [protocol for protocol, _pending in orders.values()]
        self.assertEqual(len(set(protocols)), total, "protocol numbers are unique")
        expected = {self._protocol(number) for number in range(start, start + total)}
        self.assertEqual(set(protocols), expected, "consecutive, no gap")
        self.assertEqual(self._read_sequence(), start + total, "no number lost")

    def test_crash_before_numbering_is_repaired_by_the_cron(self):
        start = self._read_sequence()
        user_id = self.user_ids[0]
        # the wrap-up commits, then the worker dies before its post-commit hook
        order_id = self._sell(user_id, self.crash_contact_id, drop_postcommit=True)
        self.assertEqual(self._read_orders([order_id]), {order_id: (None, True)})
        self.assertEqual(self._read_sequence(), start, "no number taken yet")
        # the scheduled action, a minute later, on a connection of its own
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            numbered = env["sale.order"]._cron_smartcall_assign_protocols()
            self.assertEqual(numbered.ids, [order_id])
        self.assertEqual(self._read_orders([order_id]), {order_id: (self._protocol(start), False)})
        self.assertEqual(self._read_sequence(), start + 1)
        # nothing left: the next run numbers nothing and does not move the counter
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertFalse(env["sale.order"]._cron_smartcall_assign_protocols())
        self.assertEqual(self._read_sequence(), start + 1)
