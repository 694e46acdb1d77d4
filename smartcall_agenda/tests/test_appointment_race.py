# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=invalid-commit
"""Two operators book the same agent's slot at the same instant, in two real PostgreSQL
transactions (a test cursor shares one transaction and could not show the race): exactly one
wins, the other gets a clear error, and the agenda it reloads no longer offers the slot."""

import threading
import uuid
from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

from odoo.addons.smartcall_campaign.tests.common import RETRYABLE, create_race_fixture


@tagged("post_install", "-at_install", "-standard", "smartcall_concurrency")
class TestAppointmentRace(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = cls.env.cr.dbname
        cls.tag = uuid.uuid4().hex[:8]
        with db_connect(cls.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            operators, campaign = create_race_fixture(env, "Agenda", cls.tag, 2, tz="Europe/Rome")
            agent = env["res.users"].create(
                {
                    "name": f"Race agent {cls.tag}",
                    "login": f"sc_agenda_agent_{cls.tag}",
                    "tz": "Europe/Rome",
                    "groups_id": [(6, 0, env.ref("smartcall_campaign.group_field_agent").ids)],
                }
            )
            partners = env["res.partner"].create(
                [
                    {"name": f"Race customer {cls.tag} {i}", "phone": f"0881 7{i:05d}"}
                    for i in range(2)
                ]
            )
            contacts = env["smartcall.campaign.contact"].create(
                [
                    {"campaign_id": campaign.id, "partner_id": p.id, "state": "queued"}
                    for p in partners
                ]
            )
            # a weekday next week, 10:00 in Rome (09:00 UTC in winter, 08:00 in summer)
            today = datetime.now().date()
            day = today + timedelta(days=7 + (7 - today.weekday()) % 7)
            for operator, contact in zip(operators, contacts, strict=True):
                campaign.with_user(operator)._claim_contact(contact.with_user(operator), operator)
            cr.commit()
            cls.operator_ids = operators.ids
            cls.contact_ids = contacts.ids
            cls.agent_id = agent.id
            cls.campaign_id = campaign.id
            cls.partner_ids = partners.ids
            cls.day = day.isoformat()

    @classmethod
    def tearDownClass(cls):
        with db_connect(cls.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            env["calendar.event"].with_context(active_test=False).search(
                [("agent_id", "=", cls.agent_id)]
            ).unlink()
            env["smartcall.call"].search([("campaign_id", "=", cls.campaign_id)]).unlink()
            env["smartcall.operator.session"].search([("user_id", "in", cls.operator_ids)]).unlink()
            env["smartcall.campaign"].browse(cls.campaign_id).unlink()
            env["res.partner"].browse(cls.partner_ids).unlink()
            users = env["res.users"].browse(cls.operator_ids + [cls.agent_id])
            partners = users.partner_id
            users.unlink()
            partners.unlink()
            cr.commit()
        super().tearDownClass()

    def _values(self):
        return {
            "agent_id": self.agent_id,
            "date": self.day,
            "time": "10:00",
            "street": "Via Roma 1",
            "city": "Lucera",
        }

    def test_two_operators_book_the_same_slot_at_once_one_wins(self):
        barrier = threading.Barrier(2)
        results = {}

        def book(index):
            try:
                _book(index)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                results[index] = ("crashed", repr(error))
                raise

        def _book(index):
            operator_id, contact_id = self.operator_ids[index], self.contact_ids[index]
            with db_connect(self.dbname).cursor() as cr:
                env = api.Environment(cr, operator_id, {})
                console = env["smartcall.console"]
                # both read the agenda first: the slot is free for both
                agenda = console.get_agent_agenda(contact_id, self.agent_id, self.day)
                free = {s["time"] for s in agenda["slots"] if s["free"]}
                cr.commit()
                barrier.wait(timeout=120)
                # what Odoo's RPC layer does (odoo.service.model.retrying): a concurrency
                # error rolls back and runs the call again
                for _try in range(5):
                    try:
                        console.book_appointment(contact_id, self._values())
                        cr.commit()
                        results[index] = ("won", "10:00" in free)
                        return
                    except RETRYABLE:
                        cr.rollback()
                        env.invalidate_all()
                    except UserError as error:
                        cr.rollback()
                        env.invalidate_all()
                        agenda = console.get_agent_agenda(contact_id, self.agent_id, self.day)
                        fresh = {s["time"] for s in agenda["slots"] if s["free"]}
                        results[index] = ("lost", str(error), "10:00" in free, "10:00" in fresh)
                        return
                results[index] = ("too many retries",)

        threads = [threading.Thread(target=book, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        outcomes = sorted(result[0] for result in results.values())
        self.assertEqual(outcomes, ["lost", "won"], results)
        lost = next(result for result in results.values() if result[0] == "lost")
        self.assertRegex(
            lost[1], "A colleague has just booked|already has an appointment less than 60"
        )
        self.assertTrue(lost[2], "the loser saw the slot free before booking")
        self.assertFalse(lost[3], "the fresh agenda no longer offers the slot")
        with db_connect(self.dbname).cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM calendar_event WHERE agent_id = %s AND slot_end IS NOT NULL",
                [self.agent_id],
            )
            self.assertEqual(cr.fetchone()[0], 1, "exactly one appointment in the database")
