# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.smartcall_campaign.tests.common import always_open, new_tour_operator


@tagged("post_install", "-at_install")
class TestOutcomeKeyboardTour(HttpCase):
    """Issue 13, item 6: three calls of a manual campaign, from Start to the next contact, with
    key presses only (smartcall_outcome_keyboard_tour): NI typed, the outcome after NOCOP reached
    with the arrows in the list filtered by "no", the fourth quick button by its digit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_tour_operator(cls.env, "sc_tour_keyboard")
        italy = cls.env.ref("base.it")
        cls.campaign = cls.env["smartcall.campaign"].create(
            {
                "name": "Tour Keyboard",
                "mode": "manual",
                "state": "running",
                **always_open(cls.env),
                "operator_ids": [(6, 0, cls.operator.ids)],
                "script_html": "<p>Buongiorno {{name}}</p>",
            }
        )
        partners = cls.env["res.partner"].create(
            [
                {
                    "name": f"Tour Keyboard {i}",
                    "is_company": True,
                    "country_id": italy.id,
                    "city": "Lucera",
                    "phone": f"0881 54310{i}",
                }
                for i in range(1, 4)
            ]
        )
        cls.contacts = cls.env["smartcall.campaign.contact"].create(
            [
                {"campaign_id": cls.campaign.id, "partner_id": partner.id, "state": "queued"}
                for partner in partners
            ]
        )

    def _expected_codes(self):
        """What the tour's keys choose, computed from the catalog the way the page filters it."""
        Outcome = self.env["smartcall.outcome"].with_context(lang="en_US")
        allowed = Outcome.search(Outcome._get_allowed_domain("manual"))
        filtered = allowed.filtered(lambda o: "no" in o.code.lower() or "no" in o.name.lower())
        codes = filtered.mapped("code")
        after_nocop = codes[codes.index("NOCOP") + 1]
        fourth_quick = allowed.filtered("is_quick")[3].code
        return ["NI", after_nocop, fourth_quick]

    def test_whole_call_with_the_keyboard(self):
        expected = self._expected_codes()
        self.assertEqual(len(set(expected)), 3, "the three key paths must choose three outcomes")
        self.start_tour(
            "/odoo/smartcall_operator_console",
            "smartcall_outcome_keyboard_tour",
            login="sc_tour_keyboard",
        )
        calls = self.env["smartcall.call"].search(
            [("campaign_id", "=", self.campaign.id)], order="id"
        )
        self.assertEqual(calls.mapped("state"), ["done"] * 3)
        self.assertEqual([call.outcome_id.code for call in calls], expected)
        self.assertEqual(calls.user_id, self.operator)
        # one call per contact: Enter always reached the next contact
        self.assertEqual(calls.contact_id, self.contacts)
        session = self.env["smartcall.operator.session"].search(
            [("user_id", "=", self.operator.id), ("state", "!=", "closed")]
        )
        self.assertEqual(session.state, "ready")
        self.assertFalse(session.current_contact_id)
