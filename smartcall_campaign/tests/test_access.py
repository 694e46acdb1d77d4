# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError

from .common import SmartcallCampaignCommon


class TestAccess(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls._make_contact("Shared")
        cls.private = cls._make_contact("Private")
        cls.private._set_private_callback(
            cls.operator_2, fields.Datetime.now() + timedelta(hours=2), "mine"
        )
        cls.other_contact = cls._make_contact("Bari", campaign=cls.other_campaign)

    def test_operator_sees_only_assigned_campaigns(self):
        campaigns = self.env["smartcall.campaign"].with_user(self.operator_1).search([])
        self.assertEqual(campaigns, self.campaign)
        with self.assertRaises(AccessError):
            self.other_campaign.with_user(self.operator_1).read(["name"])
        contacts = self.env["smartcall.campaign.contact"].with_user(self.operator_1).search([])
        self.assertNotIn(self.other_contact, contacts)

    def test_private_callback_hidden_from_other_operator(self):
        Contact = self.env["smartcall.campaign.contact"]
        self.assertNotIn(self.private, Contact.with_user(self.operator_1).search([]))
        with self.assertRaises(AccessError):
            self.private.with_user(self.operator_1).read(["callback_note"])
        self.assertIn(self.private, Contact.with_user(self.operator_2).search([]))
        self.assertIn(self.private, Contact.with_user(self.supervisor).search([]))

    def test_operator_cannot_edit_campaign(self):
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.operator_1).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["smartcall.campaign"].with_user(self.supervisor).create({"name": "X"})
        self.env["smartcall.campaign"].with_user(self.manager).create({"name": "X"})

    def test_field_agent_refused(self):
        for model in (
            "smartcall.campaign",
            "smartcall.campaign.contact",
            "smartcall.operator.session",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.field_agent).search([])
        # Which customers a field agent reads is smartcall_agenda's rule (only their own, see
        # its test_agent_sees_only_own_customers); the campaign's counter is never theirs.
        partner = self.contact.partner_id.with_user(self.field_agent)
        self.assertNotIn("smartcall_contact_count", partner.fields_get())

    def test_operator_reads_own_sessions_only(self):
        Session = self.env["smartcall.operator.session"]
        own = Session._get_or_open(self.operator_1)
        other = Session._get_or_open(self.operator_2)
        visible = Session.with_user(self.operator_1).search([])
        self.assertEqual(visible, own)
        with self.assertRaises(AccessError):
            other.with_user(self.operator_1).read(["state"])
        with self.assertRaises(AccessError):
            own.with_user(self.operator_1).write({"state": "ready"})
        self.assertEqual(Session.with_user(self.supervisor).search([]), own | other)

    def test_configuration_managed_by_managers(self):
        Carrier = self.env["smartcall.carrier"]
        self.assertEqual(
            Carrier.with_user(self.operator_1).search_count([]), Carrier.search_count([])
        )
        with self.assertRaises(AccessError):
            Carrier.with_user(self.supervisor).create({"name": "TIM"})
        with self.assertRaises(AccessError):
            self.env["smartcall.coverage"].with_user(self.operator_1).create(
                {"municipality": "Lucera", "technology": "ftth"}
            )
        Carrier.with_user(self.manager).create({"name": "TIM"})
