# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=invalid-commit
"""Real races on the queue: several PostgreSQL connections claim at once.

In test mode self.registry.cursor() is a TestCursor on the test's own transaction, so
these tests open real connections (odoo.sql_db.db_connect), commit their fixtures and
remove them afterwards."""

import threading
import time
import uuid
from collections import Counter

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .common import RETRYABLE, create_race_fixture


@tagged("post_install", "-at_install", "smartcall_concurrency")
class TestQueueConcurrency(TransactionCase):
    """Committed fixtures: one campaign, N operators, M queued contacts (bulk SQL)."""

    n_operators = 20
    n_contacts = 2000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = cls.env.cr.dbname
        cls.tag = uuid.uuid4().hex[:8]
        with db_connect(cls.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            users, campaign = create_race_fixture(env, "Race", cls.tag, cls.n_operators)
            cls.user_ids, cls.campaign_id = users.ids, campaign.id
            partner_ids = (
                env["res.partner"]
                .create(
                    [
                        {
                            "name": f"Race {cls.tag} {i}",
                            "is_company": True,
                            "phone": f"+390881{i:06d}",
                        }
                        for i in range(cls.n_contacts)
                    ]
                )
                .ids
            )
            cls.partner_ids = partner_ids
            env.execute_query(
                SQL(
                    """INSERT INTO smartcall_campaign_contact
                           (campaign_id, partner_id, state, queue_priority, attempt_count,
                            create_date, write_date)
                       SELECT %s, p, 'queued', 10, 0, now(), now()
                         FROM unnest(%s::int[]) p""",
                    cls.campaign_id,
                    partner_ids,
                )
            )
            cr.commit()

    @classmethod
    def tearDownClass(cls):
        with db_connect(cls.dbname).cursor() as cr:
            cr.execute(
                "DELETE FROM smartcall_campaign_contact WHERE campaign_id = %s", [cls.campaign_id]
            )
            cr.execute("DELETE FROM smartcall_campaign WHERE id = %s", [cls.campaign_id])
            cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)", [cls.partner_ids])
            env = api.Environment(cr, SUPERUSER_ID, {})
            users = env["res.users"].browse(cls.user_ids)
            user_partners = users.partner_id
            users.unlink()
            user_partners.unlink()
            cr.commit()
        super().tearDownClass()

    def _reset_queue(self):
        with db_connect(self.dbname).cursor() as cr:
            cr.execute(
                """UPDATE smartcall_campaign_contact
                      SET state = 'queued', operator_id = NULL, claimed_at = NULL,
                          attempt_count = 0
                    WHERE campaign_id = %s""",
                [self.campaign_id],
            )
            cr.commit()

    def _claim_once(self, cr, uid):
        """One claim in its own transaction, retried like Odoo's RPC layer does."""
        for attempt in range(20):
            try:
                env = api.Environment(cr, uid, {})
                campaign = env["smartcall.campaign"].browse(self.campaign_id)
                contact = campaign._claim_next_contact(env.user)
                contact_id = contact.id
                cr.commit()
                return contact_id, attempt
            except RETRYABLE:
                cr.rollback()
                time.sleep(0.001 * (attempt + 1))
        raise AssertionError("claim kept failing")

    def _finish(self, cr, uid, contact_id):
        env = api.Environment(cr, uid, {})
        env["smartcall.campaign.contact"].browse(contact_id)._mark_done()
        cr.commit()

    def test_two_cursors_never_get_the_same_row(self):
        self._reset_queue()
        cr_1 = db_connect(self.dbname).cursor()
        cr_2 = db_connect(self.dbname).cursor()
        try:
            env_1 = api.Environment(cr_1, self.user_ids[0], {})
            env_2 = api.Environment(cr_2, self.user_ids[1], {})
            # Both transactions are open at once: the first holds its row lock uncommitted.
            first = (
                env_1["smartcall.campaign"].browse(self.campaign_id)._claim_next_contact(env_1.user)
            )
            second = (
                env_2["smartcall.campaign"].browse(self.campaign_id)._claim_next_contact(env_2.user)
            )
            self.assertTrue(first and second)
            self.assertNotEqual(first.id, second.id)
            # A manual pick of the row the other transaction holds is refused at once, for
            # an operator holding nothing (the second one would be refused for holding one).
            from odoo.exceptions import UserError

            with db_connect(self.dbname).cursor() as cr_3:
                env_3 = api.Environment(cr_3, self.user_ids[2], {})
                with self.assertRaisesRegex(UserError, "another operator took it"):
                    env_3["smartcall.campaign"].browse(self.campaign_id)._claim_contact(
                        env_3["smartcall.campaign.contact"].browse(first.id), env_3.user
                    )
                cr_3.rollback()
            cr_1.commit()
            cr_2.commit()
        finally:
            cr_1.close()
            cr_2.close()

    def test_twenty_threads_no_double_assignment(self):
        self._reset_queue()
        claimed = []
        retries = Counter()
        errors = []
        lock = threading.Lock()
        start = threading.Barrier(self.n_operators)

        def operator(uid):
            try:
                with db_connect(self.dbname).cursor() as cr:
                    start.wait()
                    while True:
                        contact_id, attempts = self._claim_once(cr, uid)
                        with lock:
                            retries[uid] += attempts
                        if not contact_id:
                            return
                        with lock:
                            claimed.append(contact_id)
                        self._finish(cr, uid, contact_id)
            except Exception as error:  # noqa: BLE001 - reported by the main thread
                errors.append(repr(error))

        threads = [threading.Thread(target=operator, args=(uid,)) for uid in self.user_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        self.assertFalse(errors, errors[:3])
        doubles = len(claimed) - len(set(claimed))
        self.assertEqual(doubles, 0, "double assignments")
        self.assertEqual(len(claimed), self.n_contacts, "every contact handed out once")
        with db_connect(self.dbname).cursor() as cr:
            cr.execute(
                """SELECT count(*) FILTER (WHERE state = 'done'),
                          count(*) FILTER (WHERE attempt_count != 1)
                     FROM smartcall_campaign_contact WHERE campaign_id = %s""",
                [self.campaign_id],
            )
            done, wrong_attempts = cr.fetchone()
        self.assertEqual(done, self.n_contacts)
        self.assertEqual(wrong_attempts, 0)
