# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=invalid-commit
"""Protocol numbers under concurrent confirmations, with real PostgreSQL connections.

In test mode self.registry.cursor() is a TestCursor on the test's own transaction, so this
test opens real connections (odoo.sql_db.db_connect), commits its fixtures and removes them
afterwards."""

import random
import threading
import time
import uuid

from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

RETRYABLE = (
    pg_errors.SerializationFailure,
    pg_errors.LockNotAvailable,
    pg_errors.DeadlockDetected,
)


def run_retrying(dbname, func, max_tries=50):
    """What Odoo's RPC layer does on a concurrency error: roll back and run it again."""
    for _try in range(max_tries):
        with db_connect(dbname).cursor() as cr:
            try:
                result = func(cr)
                cr.commit()
                return result
            except RETRYABLE:
                cr.rollback()
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
            group = env.ref("smartcall_campaign.group_operator")
            users = env["res.users"].create(
                [
                    {
                        "name": f"Protocol operator {i}",
                        "login": f"sc_proto_{cls.tag}_{i}",
                        "groups_id": [(6, 0, group.ids)],
                        "tz": "Europe/Rome",
                    }
                    for i in range(cls.n_operators)
                ]
            )
            campaign = env["smartcall.campaign"].create(
                {
                    "name": f"Protocol race {cls.tag}",
                    "operator_ids": [(6, 0, users.ids)],
                    "work_hour_start": 0.0,
                    "work_hour_end": 24.0,
                    "work_weekdays": "0,1,2,3,4,5,6",
                }
            )
            campaign.action_start()
            product = env["product.product"].create(
                {"name": f"Race product {cls.tag}", "list_price": 10.0}
            )
            partners = env["res.partner"].create(
                [
                    {"name": f"Race customer {cls.tag} {i}", "phone": f"0881 9{i:05d}"}
                    for i in range(cls.n_operators * cls.per_operator)
                ]
            )
            contacts = env["smartcall.campaign.contact"].create(
                [
                    {"campaign_id": campaign.id, "partner_id": p.id, "state": "queued"}
                    for p in partners
                ]
            )
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

    def _sell(self, user_id, contact_id):
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
            return call.sale_order_id.smartcall_protocol

        run_retrying(self.dbname, claim)
        return run_retrying(self.dbname, confirm)

    def test_protocols_unique_and_gap_free_under_concurrent_confirmations(self):
        results, errors = [], []
        barrier = threading.Barrier(self.n_operators)

        def operator(user_id):
            try:
                barrier.wait()
                for contact_id in self.work[user_id]:
                    results.append(self._sell(user_id, contact_id))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(repr(error))

        threads = [threading.Thread(target=operator, args=(uid,)) for uid in self.user_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        self.assertEqual(errors, [])
        total = self.n_operators * self.per_operator
        self.assertEqual(len(results), total)
        self.assertEqual(len(set(results)), total, "protocol numbers are unique")
        numbers = sorted(int(p.rsplit("/", 1)[1]) for p in results)
        self.assertEqual(numbers, list(range(self.start_number, self.start_number + total)))
        with db_connect(self.dbname).cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM sale_order WHERE partner_id = ANY(%s) AND state = 'sale'"
                " AND smartcall_protocol IS NOT NULL",
                [self.partner_ids],
            )
            self.assertEqual(cr.fetchone()[0], total)
