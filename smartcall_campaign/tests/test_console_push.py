# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The console is pushed, not polled (issue 12, item 2): the bus tells the operators' consoles
when their queue changes, and an idle console learns when its next contact becomes due."""

import json
from datetime import timedelta

from odoo import fields

from .common import SmartcallCampaignCommon

PUSH = "smartcall.console/queue"


class TestConsolePush(SmartcallCampaignCommon):
    def setUp(self):
        super().setUp()
        # what the fixtures sent (campaigns started) is not this test's business
        self.env.cr.precommit.run()
        self.env.flush_all()
        self.env.cr.execute("SELECT COALESCE(max(id), 0) FROM bus_bus")
        self.bus_start = self.env.cr.fetchone()[0]

    def _pushes(self, target):
        """The console pushes sent in this test to `target` (a record channel). Bus messages
        are written when the transaction commits: run that step (precommit) first."""
        self.env.cr.precommit.run()
        channel = json.dumps([self.env.cr.dbname, target._name, target.id], separators=(",", ":"))
        messages = (
            self.env["bus.bus"]
            .sudo()
            .search([("channel", "=", channel), ("id", ">", self.bus_start)], order="id")
        )
        return [
            json.loads(m.message)["payload"]
            for m in messages
            if json.loads(m.message)["type"].startswith("smartcall.console/")
        ]

    def test_campaign_started_and_stopped(self):
        self.campaign.action_pause()
        self.campaign.action_start()
        self.assertEqual(
            self._pushes(self.campaign),
            [
                {"campaign_id": self.campaign.id, "reason": "campaign", "due_at": False},
                {"campaign_id": self.campaign.id, "reason": "campaign", "due_at": False},
            ],
        )
        self.assertEqual(self._pushes(self.other_campaign), [])

    def test_operator_assigned_is_told_directly(self):
        new_operator = self.supervisor
        self.other_campaign.write({"operator_ids": [(4, new_operator.id)]})
        self.assertEqual(
            self._pushes(new_operator.partner_id),
            [{"campaign_id": self.other_campaign.id, "reason": "assigned", "due_at": False}],
        )

    def test_work_plan_refill(self):
        self._make_contact("Planned", state="new")
        self.campaign.with_user(self.supervisor).action_build_work_plan()
        self.assertIn(
            {"campaign_id": self.campaign.id, "reason": "work_plan", "due_at": False},
            self._pushes(self.campaign),
        )

    def test_contacts_queued_again_say_when_they_are_due(self):
        contact = self._make_contact("Retry me")
        claimed = self.campaign._claim_next_contact(self.operator_1)
        self.assertEqual(claimed, contact)
        before = fields.Datetime.now()
        claimed._schedule_retry(wait_minutes=30)
        pushes = self._pushes(self.campaign)
        self.assertEqual(len(pushes), 1)
        due = fields.Datetime.from_string(pushes[0]["due_at"])
        self.assertEqual(pushes[0]["reason"], "queued")
        self.assertAlmostEqual(due, before + timedelta(minutes=30), delta=timedelta(seconds=5))
        # given back at once (STOP): due now
        again = self.campaign._claim_next_contact(self.operator_1)
        self.assertFalse(again)  # the retry is not due yet
        other = self._make_contact("Released")
        held = self.campaign._claim_next_contact(self.operator_2)
        self.assertEqual(held, other)
        held._release_to_queue()
        self.assertEqual(
            self._pushes(self.campaign)[-1],
            {"campaign_id": self.campaign.id, "reason": "queued", "due_at": False},
        )

    def test_idle_console_learns_the_next_due_time(self):
        """Nothing due now: the console state says when the first queued contact becomes due
        (a retry in 10 minutes beats a public callback in 20), for the console to ask then."""
        now = fields.Datetime.now().replace(microsecond=0)
        self._make_contact("Callback", priority=30, next_call_at=now + timedelta(minutes=20))
        self._make_contact("Retry", priority=20, next_call_at=now + timedelta(minutes=10))
        console = self.env["smartcall.console"].with_user(self.operator_1)
        state = console.start(self.campaign.id)
        self.assertIsNone(state["contact"])
        self.assertEqual(
            state["next_due_at"], fields.Datetime.to_string(now + timedelta(minutes=10))
        )
        # while a contact is held, nothing is announced
        self._make_contact("Now")
        state = console.next_contact()
        self.assertTrue(state["contact"])
        self.assertFalse(state["next_due_at"])
