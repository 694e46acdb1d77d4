# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields

from .common import SmartcallCampaignCommon


class TestStaleClaims(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "smartcall_campaign.claim_timeout_minutes", "10"
        )
        cls.contact_1 = cls._make_contact("Held by vanished")
        cls.contact_2 = cls._make_contact("Held by alive")
        Session = cls.env["smartcall.operator.session"]
        with freeze_time("2026-03-02 10:00:00"):
            cls.session_1 = Session._get_or_open(cls.operator_1)
            cls.session_2 = Session._get_or_open(cls.operator_2)
            cls.session_1._set_state("ready")
            cls.session_2._set_state("ready")
            cls.campaign._claim_next_contact(cls.operator_1)
            cls.campaign._claim_next_contact(cls.operator_2)

    def test_vanished_operator_contact_released(self):
        with freeze_time("2026-03-02 10:09:00"):
            self.session_2._touch()
        with freeze_time("2026-03-02 10:11:00"):
            self.env["smartcall.campaign.contact"]._cron_release_stale_claims()
        self.assertEqual(self.contact_1.state, "queued")
        self.assertFalse(self.contact_1.operator_id)
        self.assertEqual(self.contact_1.attempt_count, 1)
        self.assertEqual(self.session_1.state, "closed")
        # the living operator keeps their contact and session
        self.assertEqual(self.contact_2.state, "in_call")
        self.assertEqual(self.contact_2.operator_id, self.operator_2)
        self.assertEqual(self.session_2.state, "ready")

    def test_nothing_released_before_timeout(self):
        with freeze_time("2026-03-02 10:05:00"):
            self.env["smartcall.campaign.contact"]._cron_release_stale_claims()
        self.assertEqual((self.contact_1 | self.contact_2).mapped("state"), ["in_call"] * 2)

    def test_claim_without_session_released_after_timeout(self):
        self.session_1._close()
        contact = self.campaign._claim_contact(self._make_contact("No session"), self.supervisor)
        with freeze_time(fields.Datetime.now() + timedelta(days=1)):
            self.session_2._touch()
            self.env["smartcall.campaign.contact"]._cron_release_stale_claims()
        self.assertEqual(contact.state, "queued")
