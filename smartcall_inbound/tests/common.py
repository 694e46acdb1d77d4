# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.smartcall_campaign.tests.common import always_open


class SmartcallInboundCommon(TransactionCase):
    """Fixtures shared by the inbound tests.

    inbound (running, direction in, number 06 1234 5678, queue "vendite", portfolio Business)
    outbound (running, direction out)                 operators: operator_2
    rossi: company Rossi Srl, phone 02 1234 5678 (Milan), holder in Business: operator_2
      mario: contact person of rossi, mobile 347 123 4567
    bianchi: person Anna Bianchi, VAT IT01234567897, Foggia, phone 0881 542001, holder operator_1
    Users: operator_1 and operator_2 (Operator), supervisor, manager.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["ir.config_parameter"].sudo().set_param("smartcall_campaign.default_region", "IT")
        cls.italy = cls.env.ref("base.it")
        values = {"tz": "Europe/Rome"}
        cls.operator_1 = new_test_user(
            cls.env, "sci_operator_1", groups="smartcall_campaign.group_operator", **values
        )
        cls.operator_2 = new_test_user(
            cls.env, "sci_operator_2", groups="smartcall_campaign.group_operator", **values
        )
        cls.supervisor = new_test_user(
            cls.env, "sci_supervisor", groups="smartcall_campaign.group_supervisor", **values
        )
        cls.manager = new_test_user(
            cls.env, "sci_manager", groups="smartcall_campaign.group_manager", **values
        )
        cls.portfolio = cls.env["smartcall.portfolio.type"].create({"name": "Business"})
        Campaign = cls.env["smartcall.campaign"]
        cls.inbound = Campaign.create(
            {
                "name": "Inbound Sales",
                "direction": "in",
                "inbound_number": "06 1234 5678",
                "inbound_queue": "vendite",
                "portfolio_type_id": cls.portfolio.id,
                "operator_ids": [(6, 0, (cls.operator_1 | cls.operator_2).ids)],
                **always_open(cls.env),
            }
        )
        cls.outbound = Campaign.create(
            {
                "name": "Outbound Fibre",
                "operator_ids": [(6, 0, cls.operator_2.ids)],
                **always_open(cls.env),
            }
        )
        (cls.inbound | cls.outbound).action_start()
        Partner = cls.env["res.partner"]
        cls.rossi = Partner.create(
            {
                "name": "Rossi Srl",
                "is_company": True,
                "country_id": cls.italy.id,
                "city": "Milano",
                "phone": "02 1234 5678",
                "email": "info@rossi.example.com",
                "smartcall_email_cc": "amministrazione@rossi.example.com, ceo@rossi.example.com",
            }
        )
        cls.mario = Partner.create(
            {
                "name": "Mario Rossi",
                "parent_id": cls.rossi.id,
                "country_id": cls.italy.id,
                "mobile": "347 123 4567",
            }
        )
        cls.bianchi = Partner.create(
            {
                "name": "Anna Bianchi",
                "country_id": cls.italy.id,
                "city": "Foggia",
                "vat": "IT01234567897",
                "phone": "0881 542001",
            }
        )
        Assignment = cls.env["smartcall.portfolio.assignment"]
        Assignment.create(
            {
                "partner_id": cls.rossi.id,
                "portfolio_type_id": cls.portfolio.id,
                "user_id": cls.operator_2.id,
            }
        )
        Assignment.create(
            {
                "partner_id": cls.bianchi.id,
                "portfolio_type_id": cls.portfolio.id,
                "user_id": cls.operator_1.id,
            }
        )
        cls.state_ok = cls.env.ref("smartcall_inbound.inbound_state_ok")
        cls.action_info = cls.env["smartcall.inbound.action"].create({"name": "Send brochure"})
        cls.group_billing = cls.env["smartcall.inbound.group"].create(
            {
                "name": "Billing",
                "detail_ids": [
                    (0, 0, {"name": "Wrong invoice"}),
                    (0, 0, {"name": "Payment terms"}),
                ],
            }
        )
        cls.group_praise = cls.env["smartcall.inbound.group"].create({"name": "Praise"})
        cls.Call = cls.env["smartcall.call"]

    def _ring(self, user, number, called="+390612345678", unique_id=None, queue=None):
        return self.Call._smartcall_inbound_ring(user, number, called, unique_id, queue)

    def _complete_values(self, group=None):
        group = group or self.group_billing
        return {
            "inbound_state_id": self.state_ok.id,
            "inbound_action_id": self.action_info.id,
            "inbound_group_id": group.id,
            "inbound_group_detail_id": group.detail_ids[:1].id,
            "caller_first_name": "Mario",
            "caller_last_name": "Rossi",
            "privacy_consent": "given",
            "document_type": "id_card",
            "document_number": "CA12345AB",
            "notes": "Asked for the new price list",
        }

    def _bus_payloads(self, event, user):
        self.env.cr.precommit.run()  # the bus writes its rows at commit
        rows = self.env["bus.bus"].sudo().search([("message", "like", event)])
        channel = [self.env.cr.dbname, "res.partner", user.partner_id.id]
        return [
            json.loads(r.message)["payload"]
            for r in rows
            if json.loads(r.channel) == channel and json.loads(r.message)["type"] == event
        ]
