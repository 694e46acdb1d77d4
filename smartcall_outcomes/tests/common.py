# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.smartcall_campaign.tests.common import always_open

# A Tuesday, 10:00 in Rome: "today" is 2026-03-10 for the operators (tz Europe/Rome).
NOW = "2026-03-10 09:00:00"
TODAY = "2026-03-10"
TOMORROW = "2026-03-11"


class SmartcallOutcomesCommon(TransactionCase):
    """Fixtures shared by the outcome tests (time frozen at NOW).

    campaign (running, automatic, always open)   operators: operator_1, operator_2
    manual_campaign (running, manual)             operators: operator_1, operator_2
    supervisor, manager: see everything. Every user works in Europe/Rome.
    Contacts are made per test with _make_contact(); _hold() gives one to an operator
    through the console, as in real life (session + claim + draft call).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._frozen = freeze_time(NOW)
        cls._frozen.start()
        cls.addClassCleanup(cls._frozen.stop)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.italy = cls.env.ref("base.it")
        cls.env["ir.config_parameter"].sudo().set_param("smartcall_campaign.default_region", "IT")
        user_values = {"tz": "Europe/Rome"}
        cls.operator_1 = new_test_user(
            cls.env,
            "sco_operator_1",
            groups="smartcall_campaign.group_operator",
            **user_values,
        )
        cls.operator_2 = new_test_user(
            cls.env,
            "sco_operator_2",
            groups="smartcall_campaign.group_operator",
            **user_values,
        )
        cls.supervisor = new_test_user(
            cls.env,
            "sco_supervisor",
            groups="smartcall_campaign.group_supervisor",
            **user_values,
        )
        cls.manager = new_test_user(
            cls.env,
            "sco_manager",
            groups="smartcall_campaign.group_manager",
            **user_values,
        )
        campaign_values = {
            "operator_ids": [(6, 0, (cls.operator_1 | cls.operator_2).ids)],
            **always_open(cls.env),
            "retry_wait_minutes": 60,
            "max_attempts": 5,
            "tz": "Europe/Rome",
            "registro_checked_on": TODAY,
        }
        Campaign = cls.env["smartcall.campaign"]
        cls.campaign = Campaign.create(
            dict(campaign_values, name="Outcomes automatic", mode="automatic")
        )
        cls.manual_campaign = Campaign.create(
            dict(campaign_values, name="Outcomes manual", mode="manual")
        )
        (cls.campaign | cls.manual_campaign).action_start()
        cls.outcome = {outcome.code: outcome for outcome in cls.env["smartcall.outcome"].search([])}
        cls.product = cls.env["product.product"].create(
            {"name": "Business fibre 1 Gb", "list_price": 39.90, "sale_ok": True}
        )
        cls.product_2 = cls.env["product.product"].create(
            {"name": "Static IP", "list_price": 5.0, "sale_ok": True}
        )
        cls._phone_seq = 200000

    @classmethod
    def _next_phone(cls):
        cls._phone_seq += 1
        return f"0881 {cls._phone_seq}"

    @classmethod
    def _make_contact(cls, name, campaign=None, phone=None, mobile=None, **kw):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "phone": phone or cls._next_phone(),
                "mobile": mobile or False,
                "city": "Lucera",
                "country_id": cls.italy.id,
            }
        )
        return cls.env["smartcall.campaign.contact"].create(
            {
                "campaign_id": (campaign or cls.campaign).id,
                "partner_id": partner.id,
                "state": "queued",
                **kw,
            }
        )

    def _console(self, user):
        return self.env["smartcall.console"].with_user(user)

    def _hold(self, user, contact):
        """`user` starts the console on the contact's campaign and gets `contact` (the only
        contact due in an automatic campaign, or picked in a manual one), then hangs up:
        the outcome page is open."""
        console = self._console(user)
        campaign = contact.campaign_id
        # only this contact is due: the others of the campaign wait
        others = self.env["smartcall.campaign.contact"].search(
            [
                ("campaign_id", "=", campaign.id),
                ("state", "=", "queued"),
                ("id", "!=", contact.id),
            ]
        )
        others.write({"state": "new"})
        state = console.start(campaign.id)
        if campaign.mode == "manual":
            state = console.pick_contact(contact.id)
        others.write({"state": "queued"})
        self.assertEqual(state["contact"] and state["contact"]["id"], contact.id)
        return console.hangup(contact.id)

    def _confirm(self, user, contact, code, **values):
        values = dict({"outcome_id": self.outcome[code].id, "notes": ""}, **values)
        return self._console(user).confirm_outcome(contact.id, values)
