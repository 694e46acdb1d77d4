# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.smartcall_campaign.tests.common import always_open, new_tour_operator


@tagged("post_install", "-at_install")
class TestPhoneBarTour(HttpCase):
    """Browser tour: an incoming call event pops up the phone bar with the caller and the
    portfolio holder; the operator accepts, fills the inbound form (closing without notes is
    refused, naming the field) and closes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_tour_operator(cls.env, "sc_tour_inbound")
        holder = new_tour_operator(cls.env, "sc_tour_inbound_holder")
        holder.name = "Tour Holder"
        portfolio = cls.env["smartcall.portfolio.type"].create({"name": "Tour Business"})
        campaign = cls.env["smartcall.campaign"].create(
            {
                "name": "Tour Inbound",
                "direction": "in",
                "inbound_number": "+390612345678",
                "portfolio_type_id": portfolio.id,
                "operator_ids": [(6, 0, cls.operator.ids)],
                **always_open(cls.env),
            }
        )
        campaign.action_start()
        cls.partner = cls.env["res.partner"].create(
            {
                "name": "Tour Rossi Srl",
                "is_company": True,
                "country_id": cls.env.ref("base.it").id,
                "phone": "02 1234 5678",
            }
        )
        cls.env["smartcall.portfolio.assignment"].create(
            {"partner_id": cls.partner.id, "portfolio_type_id": portfolio.id, "user_id": holder.id}
        )
        cls.env["smartcall.inbound.action"].create({"name": "Tour brochure"})
        cls.env["smartcall.inbound.group"].create(
            {"name": "Tour billing", "detail_ids": [(0, 0, {"name": "Tour wrong invoice"})]}
        )
        # The PBX rang the operator just before the page loaded; the tour delivers the bus
        # notification (the bus is off under tests). Started earlier than the ring timeout so
        # that the page's first load does not show it by itself.
        cls.call = cls.env["smartcall.call"]._smartcall_inbound_ring(
            cls.operator, "+39 02 1234 5678", "+390612345678", "tour-ring-1"
        )
        cls.call.started_at = fields.Datetime.now() - timedelta(minutes=5)

    def test_phone_bar_tour(self):
        self.start_tour("/odoo", "smartcall_inbound_phone_bar_tour", login="sc_tour_inbound")
        self.assertEqual(self.call.state, "done")
        self.assertEqual(self.call.partner_id, self.partner)
        self.assertTrue(self.call.answered_at)
        self.assertEqual(self.call.inbound_state_id.code, "OK")
        self.assertEqual(self.call.inbound_group_detail_id.name, "Tour wrong invoice")
        self.assertEqual(self.call.caller_last_name, "Rossi")
        self.assertEqual(self.call.privacy_consent, "given")
        self.assertEqual(self.call.document_type, "id_card")
        self.assertEqual(self.call.notes, "Asked for the new price list")

    def test_phone_bar_missed_call_tour(self):
        """The caller hangs up before the answer: the ringing phone bar says so and is
        available again (the server's side: test_inbound_pbx.py, test_inbound_asterisk.py)."""
        self.start_tour("/odoo", "smartcall_inbound_phone_bar_missed_tour", login="sc_tour_inbound")
