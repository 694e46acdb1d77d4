# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=invalid-commit
"""Protocol numbers under concurrent confirmations, with real PostgreSQL connections.

Each wrap-up takes its contract's number from the standard `ir.sequence` (a PostgreSQL
sequence) in its own transaction (sale_order.py). A test cursor never commits and all the
operators would share it, so this test opens real connections (odoo.sql_db.db_connect), one
transaction per wrap-up as in the RPC workers, commits its fixtures and removes them
afterwards."""

import random
import threading
import time
import uuid

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

from odoo.addons.smartcall_campaign.tests.common import RETRYABLE, create_race_fixture


class CrashBeforeCommit(Exception):
    """The worker dies after the wrap-up did everything, before its COMMIT."""


def run_retrying(dbname, func, max_tries=50, retries=None):
    """What Odoo's RPC layer does on a concurrency error: roll back and run it again.
    `retries` (a list) collects the errors retried."""
    for _try in range(max_tries):
        with db_connect(dbname).cursor() as cr:
            try:
                result = func(cr)
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
            cr.commit()
        super().tearDownClass()

    def _claim(self, user_id, contact_id):
        def claim(cr):
            env = api.Environment(cr, user_id, {})
            campaign = env["smartcall.campaign"].browse(self.campaign_id)
            contact = env["smartcall.campaign.contact"].browse(contact_id)
            campaign._claim_contact(contact, env.user)

        run_retrying(self.dbname, claim)

    def _sell(self, user_id, contact_id, retries=None):
        self._claim(user_id, contact_id)
        return run_retrying(self.dbname, self._confirm_sale(user_id, contact_id), retries=retries)

    def _confirm_sale(self, user_id, contact_id):
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
            env.flush_all()
            return call.sale_order_id.id

        return confirm

    def _read_orders(self):
        """{order id: protocol} of the committed confirmed orders of the test's customers."""
        with db_connect(self.dbname).cursor() as cr:
            cr.execute(
                "SELECT id, smartcall_protocol FROM sale_order"
                " WHERE partner_id = ANY(%s) AND state = 'sale'",
                [list(self.partner_ids)],
            )
            return dict(cr.fetchall())

    def _next_number(self):
        """The sequence's next number (it reads the PostgreSQL sequence, not transactional)."""
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["ir.sequence"].browse(self.sequence_id).number_next_actual

    def _protocol(self, number):
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["ir.sequence"].browse(self.sequence_id).get_next_char(number)

    def test_protocols_unique_and_none_missing_under_concurrent_confirmations(self):
        before = self._read_orders()
        start = self._next_number()
        order_ids, errors, confirm_retries = [], [], []
        barrier = threading.Barrier(self.n_operators)

        def operator(user_id):
            try:
                barrier.wait()
                for contact_id in self.work[user_id]:
                    order_ids.append(self._sell(user_id, contact_id, retries=confirm_retries))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(repr(error))

        threads = [threading.Thread(target=operator, args=(uid,)) for uid in self.user_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        self.assertEqual(errors, [])
        total = self.n_operators * self.per_operator
        self.assertEqual(len(set(order_ids)), total, "one contract per confirmation")
        self.assertEqual(
            [e for e in confirm_retries if "SerializationFailure" in e or "LockNotAvailable" in e],
            [],
            "the wrap-ups never conflict on the protocol counter",
        )
        orders = self._read_orders()
        self.assertEqual(set(orders) - set(before), set(order_ids), "every contract committed")
        new = {order_id: orders[order_id] for order_id in order_ids}
        self.assertEqual([oid for oid, protocol in new.items() if not protocol], [], "none missing")
        self.assertEqual(len(set(new.values())), total, "protocol numbers are unique")
        # taken from the sequence during the run (nothing else drew numbers meanwhile); a
        # wrap-up retried after it drew its number only leaves that number unused
        end = self._next_number()
        self.assertGreaterEqual(end - start, total)
        self.assertLessEqual(end - start, total + len(confirm_retries))
        allowed = {self._protocol(number) for number in range(start, end)}
        self.assertLessEqual(set(new.values()), allowed)

    def test_wrapup_rolled_back_leaves_a_gap_only(self):
        """A wrap-up that dies before its COMMIT saves no contract; its number stays unused
        (a gap, see the readme) and the next contract takes the following one."""
        user_id = self.user_ids[0]
        contact_id = self.crash_contact_id
        self._claim(user_id, contact_id)
        before = self._read_orders()
        start = self._next_number()
        confirm = self._confirm_sale(user_id, contact_id)

        def crash(cr):
            confirm(cr)
            raise CrashBeforeCommit()

        with self.assertRaises(CrashBeforeCommit):
            run_retrying(self.dbname, crash)
        self.assertEqual(self._read_orders(), before, "nothing saved")
        self.assertEqual(self._next_number(), start + 1, "the number it took is not reused")
        order_id = run_retrying(self.dbname, confirm)
        self.assertEqual(self._read_orders()[order_id], self._protocol(start + 1))
