# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError

from .common import SmartcallCampaignCommon


class TestBlacklist(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.blocked_phone = cls._make_contact("Blocked phone", phone="0881 555111")
        cls.blocked_mobile = cls._make_contact(
            "Blocked mobile", phone="0881 555222", mobile="333 5552222"
        )
        cls.clean = cls._make_contact("Clean", phone="0881 555333")
        cls.env["phone.blacklist"]._add(["+390881555111", "+393335552222"])

    def test_claim_skips_blacklisted_numbers(self):
        contact = self.campaign._claim_next_contact(self.operator_1)
        self.assertEqual(contact, self.clean)
        contact._mark_done()
        self.assertFalse(self.campaign._claim_next_contact(self.operator_1))

    def test_archived_blacklist_entry_is_dialled_again(self):
        self.env["phone.blacklist"]._remove(["+390881555111"])
        claimed = self.campaign._claim_next_contact(self.operator_1)
        self.assertEqual(claimed, self.blocked_phone)

    def test_dial_numbers_leave_out_blacklisted(self):
        self.assertEqual(self.blocked_mobile._get_dial_numbers(), ["+390881555222"])
        self.assertEqual(self.blocked_phone._get_dial_numbers(), [])

    def test_manual_pick_of_blacklisted_refused(self):
        with self.assertRaisesRegex(UserError, "has a number in the do-not-call list"):
            self.campaign._claim_contact(self.blocked_phone, self.operator_1)

    def test_work_plan_excludes_blacklisted(self):
        contacts = self.blocked_phone | self.blocked_mobile | self.clean
        contacts.write({"state": "new"})
        self.campaign.action_build_work_plan()
        self.assertEqual(self.clean.state, "queued")
        for contact in self.blocked_phone | self.blocked_mobile:
            self.assertEqual(contact.state, "excluded")
            self.assertTrue(contact.excluded_reason)
