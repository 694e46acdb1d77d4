# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SmartcallInboundCommon


@tagged("post_install", "-at_install")
class TestInboundCampaign(SmartcallInboundCommon):
    """Seed 002: the number called, or the queue, says which inbound campaign a call is for."""

    def test_number_called_is_stored_in_e164(self):
        self.assertEqual(self.inbound.inbound_number, "+390612345678")

    def test_campaign_found_by_number_called_in_any_format(self):
        Campaign = self.env["smartcall.campaign"]
        for called in ("+39 06 1234 5678", "0039061234-5678", "06.1234.5678", "tel:+390612345678"):
            with self.subTest(called=called):
                self.assertEqual(Campaign._smartcall_find_inbound_campaign(called), self.inbound)

    def test_campaign_found_by_queue_before_number(self):
        other = self.env["smartcall.campaign"].create(
            {"name": "Inbound Support", "direction": "in", "inbound_queue": "assistenza"}
        )
        other.action_start()
        found = self.env["smartcall.campaign"]._smartcall_find_inbound_campaign(
            "+390612345678", "assistenza"
        )
        self.assertEqual(found, other)

    def test_no_campaign_for_an_unknown_number_or_an_outbound_one(self):
        Campaign = self.env["smartcall.campaign"]
        self.assertFalse(Campaign._smartcall_find_inbound_campaign("+390299999999"))
        self.outbound.inbound_number = "+390288888888"
        self.assertFalse(Campaign._smartcall_find_inbound_campaign("+390288888888"))

    def test_paused_inbound_campaign_gets_no_call(self):
        self.inbound.state = "paused"
        self.assertFalse(
            self.env["smartcall.campaign"]._smartcall_find_inbound_campaign("+390612345678")
        )

    def test_two_inbound_campaigns_cannot_share_a_number(self):
        with self.assertRaisesRegex(ValidationError, "Inbound Sales already answers the number"):
            self.env["smartcall.campaign"].create(
                {"name": "Copy", "direction": "in", "inbound_number": "06-1234-5678"}
            )

    def test_two_inbound_campaigns_cannot_share_a_queue(self):
        with self.assertRaisesRegex(ValidationError, "already answers the queue vendite"):
            self.env["smartcall.campaign"].create(
                {"name": "Copy", "direction": "in", "inbound_queue": "vendite"}
            )
