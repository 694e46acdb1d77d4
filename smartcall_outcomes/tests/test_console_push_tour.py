# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.smartcall_campaign.tests.common import always_open, new_tour_operator


@tagged("post_install", "-at_install")
class TestConsolePushTour(HttpCase):
    """Issue 12, item 2, in the browser (smartcall_console_push_tour): the idle console of an
    automatic campaign gets, through the bus, the contact a supervisor's work plan queued, and
    says when it falls back to polling because the websocket is down."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_tour_operator(cls.env, "sc_tour_push")
        # the tour's user is also a supervisor: the work plan is their own click
        cls.operator.groups_id |= cls.env.ref("smartcall_campaign.group_supervisor")
        cls.campaign = cls.env["smartcall.campaign"].create(
            {
                "name": "Push Auto",
                "mode": "automatic",
                "state": "running",
                **always_open(cls.env),
                "operator_ids": [(6, 0, cls.operator.ids)],
                "script_html": "<p>Buongiorno {{name}}</p>",
                # checked against the Registro delle Opposizioni: the work plan may run
                "registro_checked_on": fields.Date.today(),
            }
        )
        partner = cls.env["res.partner"].create(
            {
                "name": "Push Nuova Srl",
                "is_company": True,
                "country_id": cls.env.ref("base.it").id,
                "phone": "0881 544001",
            }
        )
        # a new contact: not in the queue until the next work plan
        cls.contact = cls.env["smartcall.campaign.contact"].create(
            {"campaign_id": cls.campaign.id, "partner_id": partner.id}
        )

    def test_push_reaches_the_idle_console(self):
        self.start_tour(
            "/odoo/smartcall_operator_console",
            "smartcall_console_push_tour",
            login="sc_tour_push",
        )
        self.assertEqual(self.contact.state, "in_call")
        self.assertEqual(self.contact.operator_id, self.operator)
        session = self.env["smartcall.operator.session"].search(
            [("user_id", "=", self.operator.id), ("state", "!=", "closed")]
        )
        self.assertEqual(session.current_contact_id, self.contact)
