# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestDoNotCall(SmartcallOutcomesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls._make_contact("Opposed Srl", phone="0881 555111", mobile="347 1234567")
        # the same customer number in another campaign, and as a private callback
        cls.twin = cls._make_contact(
            "Opposed Srl (copy)", campaign=cls.manual_campaign, phone="0881 555111"
        )

    def test_dnc_blacklists_the_numbers_and_excludes_everywhere(self):
        self._hold(self.operator_1, self.contact)
        self._confirm(self.operator_1, self.contact, "DNC", notes="Listed in the register")
        blacklisted = self.env["phone.blacklist"].search(
            [("number", "in", ["+390881555111", "+393471234567"])]
        )
        self.assertEqual(len(blacklisted), 2)
        self.assertIn("Registro delle Opposizioni", blacklisted[0].message_ids.mapped("body")[-1])
        self.assertEqual(self.contact.state, "excluded")
        self.assertEqual(self.twin.state, "excluded")
        self.assertEqual(self.contact.last_outcome_id, self.outcome["DNC"])

    def test_dnc_number_never_dialled_again_even_when_reimported(self):
        self._hold(self.operator_1, self.contact)
        self._confirm(self.operator_1, self.contact, "DNC")
        # re-imported in a campaign: excluded by the work plan, never claimed
        partner = self.env["res.partner"].create(
            {
                "name": "Opposed again",
                "phone": "0881 555111",
                "country_id": self.italy.id,
            }
        )
        again = self.env["smartcall.campaign.contact"].create(
            {
                "campaign_id": self.campaign.id,
                "partner_id": partner.id,
                "state": "queued",
            }
        )
        for user in (self.operator_1, self.operator_2):
            self.assertNotEqual(self.campaign.with_user(user)._claim_next_contact(user), again)
        self.campaign.with_user(self.manager).action_build_work_plan()
        self.assertEqual(again.state, "excluded")
        # manual pick and dial are refused too
        console = self._console(self.operator_2)
        console.start(self.manual_campaign.id)
        self.twin.write({"state": "queued"})
        with self.assertRaisesRegex(UserError, "has a number in the do-not-call list"):
            console.pick_contact(self.twin.id)
