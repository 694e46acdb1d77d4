# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import SmartcallCampaignCommon


class TestAddToCampaign(SmartcallCampaignCommon):
    def test_add_selected_partners_skips_existing_and_reports_invalid(self):
        already = self._make_contact("Already in").partner_id
        fresh = self._make_partner("Fresh Srl")
        invalid = self._make_partner("Broken Srl", phone="12")
        wizard = (
            self.env["smartcall.add.to.campaign"]
            .with_user(self.supervisor)
            .with_context(active_model="res.partner", active_ids=(already | fresh | invalid).ids)
            .create({"campaign_id": self.campaign.id})
        )
        self.assertEqual(wizard.partner_ids, already | fresh | invalid)
        action = wizard.action_add()
        contacts = self.env["smartcall.campaign.contact"].search(
            [("campaign_id", "=", self.campaign.id)]
        )
        self.assertEqual(contacts.partner_id, already | fresh)
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("Broken Srl", action["params"]["message"])
        self.assertIn("1 customers added", action["params"]["message"])
