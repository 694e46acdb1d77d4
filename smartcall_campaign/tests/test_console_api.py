# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import always_open


@tagged("smartcall_console")
class TestConsoleApi(TransactionCase):
    """The console RPC API, called as an operator (seed 003: Start/Pause, script screen,
    operations, logout).

    Fixtures:
        automatic campaign "Fibra Auto"   operators: op1, op2   contacts: Alfa, Beta, Gamma (queued)
        manual campaign    "Fibra Manual" operators: op1        contacts: Delta, Epsilon (queued)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.op1 = new_test_user(
            cls.env, "sc_op1", groups="smartcall_campaign.group_operator", tz="Europe/Rome"
        )
        cls.op2 = new_test_user(
            cls.env, "sc_op2", groups="smartcall_campaign.group_operator", tz="Europe/Rome"
        )
        cls.employee = new_test_user(cls.env, "sc_employee", groups="base.group_user")
        cls.italy = cls.env.ref("base.it")
        cls.province = cls.env["res.country.state"].search(
            [("country_id", "=", cls.italy.id), ("code", "=", "FG")], limit=1
        )
        common = {
            "state": "running",
            **always_open(cls.env),
            "script_html": "<p>Buongiorno {{name}} di {{city}}, sono {{operator}}.</p>",
        }
        Campaign = cls.env["smartcall.campaign"]
        cls.auto = Campaign.create(
            dict(
                common,
                name="Fibra Auto",
                mode="automatic",
                operator_ids=[(6, 0, (cls.op1 | cls.op2).ids)],
            )
        )
        cls.manual = Campaign.create(
            dict(common, name="Fibra Manual", mode="manual", operator_ids=[(6, 0, cls.op1.ids)])
        )
        Partner = cls.env["res.partner"]
        cls.partners = Partner.create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "country_id": cls.italy.id,
                    "street": "Via Roma 1",
                    "city": city,
                    "zip": "71036",
                    "state_id": cls.province.id,
                    "phone": phone,
                }
                for name, city, phone in (
                    ("Alfa <b>Srl</b>", "Lucera", "0881 540001"),
                    ("Beta Snc", "Lucera", "0881 540002"),
                    ("Gamma Spa", "Foggia", "0881 540003"),
                    ("Delta Sas", "Lucera", "0881 540004"),
                    ("Epsilon Srl", "Troia", "0881 540005"),
                )
            ]
        )
        Contact = cls.env["smartcall.campaign.contact"]
        cls.auto_contacts = Contact.create(
            [
                {"campaign_id": cls.auto.id, "partner_id": p.id, "state": "queued"}
                for p in cls.partners[:3]
            ]
        )
        cls.manual_contacts = Contact.create(
            [
                {"campaign_id": cls.manual.id, "partner_id": p.id, "state": "queued"}
                for p in cls.partners[3:]
            ]
        )
        cls.reason_break = cls.env.ref("smartcall_campaign.pause_reason_break")

    def console(self, user=None):
        return self.env["smartcall.console"].with_user(user or self.op1)

    def test_state_before_start(self):
        state = self.console().get_console_state()
        self.assertEqual(state["session"]["state"], "closed")
        self.assertIsNone(state["contact"])
        by_name = {c["name"]: c for c in state["campaigns"]}
        self.assertEqual(set(by_name), {"Fibra Auto", "Fibra Manual"})
        self.assertEqual(by_name["Fibra Auto"]["mode"], "automatic")
        self.assertEqual(by_name["Fibra Auto"]["queued_count"], 3)
        self.assertIn("Break", [r["name"] for r in state["pause_reasons"]])
        self.assertFalse(state["has_voip"])
        # op2 is not assigned to the manual campaign: it does not see it
        state2 = self.console(self.op2).get_console_state()
        self.assertEqual([c["name"] for c in state2["campaigns"]], ["Fibra Auto"])

    def test_non_operator_refused(self):
        with self.assertRaises(AccessError):
            self.console(self.employee).get_console_state()

    def test_start_automatic_proposes_contact(self):
        state = self.console().start(self.auto.id)
        self.assertEqual(state["session"]["state"], "in_call")
        self.assertEqual(state["session"]["campaign_id"], self.auto.id)
        contact = state["contact"]
        self.assertTrue(contact)
        record = self.env["smartcall.campaign.contact"].browse(contact["id"])
        self.assertEqual(record.operator_id, self.op1)
        self.assertEqual(record.state, "in_call")
        self.assertEqual(contact["campaign"]["mode"], "automatic")
        self.assertEqual(contact["partner"]["province"], "FG")
        self.assertEqual(contact["numbers"][0]["kind"], "phone")
        self.assertTrue(contact["numbers"][0]["e164"].startswith("+390881"))
        self.assertFalse(contact["numbers"][0]["blacklisted"])
        # the script is rendered with escaped customer values
        self.assertIn(f"sono {self.op1.name}", contact["script_html"])
        self.assertNotIn("{{", contact["script_html"])
        if record.partner_id == self.partners[0]:
            self.assertIn("Alfa &lt;b&gt;Srl&lt;/b&gt;", contact["script_html"])
        lookups = contact["lookups"]
        self.assertTrue(lookups["google"].startswith("https://www.google.com/search?q="))
        self.assertIn("paginebianche.it", lookups["paginebianche"])
        self.assertIn("0881", lookups["paginebianche"])
        self.assertIn("Lucera", lookups["maps"])
        # a second operator gets another contact
        state2 = self.console(self.op2).start(self.auto.id)
        self.assertNotEqual(state2["contact"]["id"], contact["id"])

    def test_coverage_and_carriers_in_payload(self):
        self.env["smartcall.coverage"].create(
            {
                "municipality": "Lucera",
                "province_id": self.province.id,
                "technology": "ftth",
                "max_speed_mbps": 1000,
                "is_available": True,
            }
        )
        self.env["smartcall.carrier"].create({"name": "Carrier X", "is_acquirable": True})
        self.manual_contacts[0].partner_id.city = "Lucera"
        self.console().start(self.manual.id)
        contact = self.console().pick_contact(self.manual_contacts[0].id)["contact"]
        self.assertEqual(
            contact["coverage"],
            [
                {
                    "technology": "ftth",
                    "max_speed_mbps": 1000,
                    "is_available": True,
                    "street": "",
                    "municipality": "Lucera",
                    "province": "FG",
                    "note": "",
                }
            ],
        )
        # the customer has no street row: the municipality's coverage, and the form prefilled
        self.assertEqual(contact["coverage_level"], "municipality")
        self.assertEqual(contact["coverage_address"]["municipality"], "Lucera")
        self.assertIn({"name": "Carrier X", "is_acquirable": True, "note": ""}, contact["carriers"])

    def test_pause_with_reason_and_no_contact_while_paused(self):
        state = self.console().start(self.manual.id)
        self.assertEqual(state["session"]["state"], "ready")
        self.assertIsNone(state["contact"], "a manual campaign waits for the operator's pick")
        state = self.console().pause(self.reason_break.id)
        self.assertEqual(state["session"]["state"], "paused")
        self.assertEqual(state["session"]["pause_reason"], "Break")
        self.assertIn("paused", state["session"]["totals"])
        with self.assertRaisesRegex(UserError, "Press Start to receive contacts"):
            self.console().next_contact()
        with self.assertRaisesRegex(UserError, "Choose why you are pausing"):
            self.console().pause(0)

    def _session(self, user=None):
        return self.env["smartcall.operator.session"].search(
            [("user_id", "=", (user or self.op1).id), ("state", "!=", "closed")]
        )

    def test_pause_during_call_keeps_contact_held(self):
        contact = self.console().start(self.auto.id)["contact"]
        state = self.console().pause(self.reason_break.id)
        self.assertEqual(state["session"]["state"], "in_call", "the call goes on")
        self.assertEqual(state["contact"]["id"], contact["id"])
        self.assertEqual(state["session"]["pending_pause_reason"], "Break")
        self.assertEqual(state["session"]["pending_pause_reason_id"], self.reason_break.id)
        self.assertFalse(state["session"]["pause_reason"])
        record = self.env["smartcall.campaign.contact"].browse(contact["id"])
        self.assertEqual((record.state, record.operator_id), ("in_call", self.op1))
        self.assertEqual(self._session().interval_ids.mapped("state")[-1], "in_call")

    def test_pause_again_during_call_changes_pending_reason(self):
        self.console().start(self.auto.id)
        self.console().pause(self.reason_break.id)
        training = self.env.ref("smartcall_campaign.pause_reason_training")
        state = self.console().pause(training.id)
        self.assertEqual(state["session"]["state"], "in_call")
        self.assertEqual(state["session"]["pending_pause_reason_id"], training.id)

    def test_hangup_keeps_pending_pause(self):
        contact = self.console().start(self.auto.id)["contact"]
        self.console().pause(self.reason_break.id)
        state = self.console().hangup(contact["id"])
        self.assertEqual(state["session"]["state"], "wrap_up")
        self.assertEqual(state["session"]["pending_pause_reason_id"], self.reason_break.id)

    def test_start_during_call_cancels_pending_pause(self):
        contact = self.console().start(self.auto.id)["contact"]
        self.console().pause(self.reason_break.id)
        state = self.console().start(self.auto.id)
        self.assertEqual(state["session"]["state"], "in_call")
        self.assertEqual(state["contact"]["id"], contact["id"], "the same call goes on")
        self.assertFalse(state["session"]["pending_pause_reason"])
        self.assertFalse(self._session().pending_pause_reason_id)

    def test_start_during_call_in_another_campaign_refused(self):
        self.console().start(self.auto.id)
        self.console().pause(self.reason_break.id)
        with self.assertRaisesRegex(UserError, "Finish the current call before changing campaign"):
            self.console().start(self.manual.id)
        self.assertEqual(self._session().pending_pause_reason_id, self.reason_break)

    def test_pause_refuses_archived_reason(self):
        archived = self.env["smartcall.pause.reason"].create(
            {"name": "Old reason", "active": False}
        )
        self.console().start(self.manual.id)
        session = self._session()
        intervals = session.interval_ids
        with self.assertRaisesRegex(UserError, "no longer in use"):
            self.console().pause(archived.id)
        self.assertEqual(session.state, "ready")
        self.assertFalse(session.pause_reason_id)
        self.assertEqual(session.interval_ids, intervals, "no interval opened")

    def test_pause_during_call_refuses_archived_reason(self):
        archived = self.env["smartcall.pause.reason"].create(
            {"name": "Old reason", "active": False}
        )
        self.console().start(self.auto.id)
        with self.assertRaisesRegex(UserError, "no longer in use"):
            self.console().pause(archived.id)
        self.assertEqual(self._session().state, "in_call")
        self.assertFalse(self._session().pending_pause_reason_id)

    def test_logout_clears_pending_pause(self):
        self.console().start(self.auto.id)
        self.console().pause(self.reason_break.id)
        session = self._session()
        self.console().logout()
        self.assertEqual(session.state, "closed")
        self.assertFalse(session.pending_pause_reason_id)
        # the next session starts clean: Start proposes a contact, no pause waits for it
        state = self.console().start(self.auto.id)
        self.assertEqual(state["session"]["state"], "in_call")
        self.assertFalse(state["session"]["pending_pause_reason"])

    def test_stale_release_clears_pending_pause(self):
        contact = self.console().start(self.auto.id)["contact"]
        self.console().pause(self.reason_break.id)
        session = self._session()
        session.last_seen_at = fields.Datetime.now() - timedelta(hours=2)
        self.env["smartcall.campaign.contact"]._cron_release_stale_claims()
        record = self.env["smartcall.campaign.contact"].browse(contact["id"])
        self.assertEqual(record.state, "queued")
        self.assertEqual(session.state, "closed")
        self.assertFalse(session.pending_pause_reason_id)

    def test_manual_list_and_pick(self):
        self.console().start(self.manual.id)
        rows = self.console().list_pickable_contacts("")
        self.assertEqual({r["name"] for r in rows}, {"Delta Sas", "Epsilon Srl"})
        rows = self.console().list_pickable_contacts("troia")
        self.assertEqual([r["name"] for r in rows], ["Epsilon Srl"])
        # not due yet: not offered
        self.manual_contacts[1].next_call_at = fields.Datetime.now() + timedelta(hours=2)
        self.assertEqual(
            [r["name"] for r in self.console().list_pickable_contacts("")], ["Delta Sas"]
        )
        state = self.console().pick_contact(self.manual_contacts[0].id)
        self.assertEqual(state["session"]["state"], "in_call")
        self.assertEqual(state["contact"]["id"], self.manual_contacts[0].id)
        self.assertEqual(self.manual_contacts[0].operator_id, self.op1)

    def test_picker_leaves_out_blacklisted_contacts(self):
        delta, epsilon = self.manual_contacts
        epsilon.partner_id.mobile = "347 540 0005"
        zeta = self.env["smartcall.campaign.contact"].create(
            {
                "campaign_id": self.manual.id,
                "partner_id": self.env["res.partner"]
                .create(
                    {
                        "name": "Zeta Srl",
                        "country_id": self.italy.id,
                        "phone": False,
                        "mobile": "347 540 0006",
                    }
                )
                .id,
                "state": "queued",
            }
        )
        self.console().start(self.manual.id)
        rows = self.console().list_pickable_contacts("")
        self.assertEqual({r["id"] for r in rows}, set((delta | epsilon | zeta).ids))
        # a blacklisted phone, or a blacklisted mobile, as the claim decides
        self.env["phone.blacklist"].sudo()._add([delta.phone_e164, epsilon.mobile_e164])
        rows = self.console().list_pickable_contacts("")
        self.assertEqual([r["id"] for r in rows], zeta.ids, "a contact without phone stays")
        for contact in delta | epsilon:
            self.assertTrue(contact._get_blacklisted_numbers())
            with self.assertRaisesRegex(UserError, "has a number in the do-not-call list"):
                self.console().pick_contact(contact.id)
        # an archived blacklist entry does not count
        self.env["phone.blacklist"].sudo()._remove([delta.phone_e164])
        rows = self.console().list_pickable_contacts("")
        self.assertEqual({r["id"] for r in rows}, set((delta | zeta).ids))

    def test_pick_refused_in_automatic_campaign(self):
        self.console(self.op2).start(self.auto.id)
        self.console(self.op2).logout()
        self.console().start(self.manual.id)
        self.console().pause(self.reason_break.id)
        with self.assertRaisesRegex(UserError, "Press Start to receive contacts"):
            self.console().pick_contact(self.manual_contacts[0].id)

    def test_dial_returns_tel_and_refuses_blacklisted(self):
        self.console().start(self.manual.id)
        contact = self.console().pick_contact(self.manual_contacts[0].id)["contact"]
        number = contact["numbers"][0]["e164"]
        self.assertEqual(
            self.console().dial(contact["id"], number), {"mode": "tel", "url": f"tel:{number}"}
        )
        with self.assertRaisesRegex(UserError, "This number does not belong to the contact"):
            self.console().dial(contact["id"], "+390000000000")
        self.env["phone.blacklist"].sudo()._add([number])
        with self.assertRaisesRegex(UserError, "is in the do-not-call list: it cannot be dialled"):
            self.console().dial(contact["id"], number)
        state = self.console().get_console_state()
        self.assertTrue(state["contact"]["numbers"][0]["blacklisted"])

    def test_dial_refused_for_contact_not_held(self):
        self.console().start(self.manual.id)
        with self.assertRaisesRegex(UserError, "You are not holding this contact any more"):
            self.console().dial(self.manual_contacts[0].id, self.manual_contacts[0].phone_e164)

    def test_add_mobile(self):
        self.console().start(self.manual.id)
        contact_id = self.console().pick_contact(self.manual_contacts[0].id)["contact"]["id"]
        with self.assertRaisesRegex(UserError, "The phone number 12 is not valid"):
            self.console().add_mobile(contact_id, "12")
        payload = self.console().add_mobile(contact_id, "347 123 4567")
        mobiles = [n for n in payload["numbers"] if n["kind"] == "mobile"]
        self.assertEqual(mobiles[0]["e164"], "+393471234567")
        self.assertEqual(self.manual_contacts[0].mobile_e164, "+393471234567")

    def test_hangup_goes_to_wrap_up(self):
        contact = self.console().start(self.auto.id)["contact"]
        state = self.console().hangup(contact["id"])
        self.assertEqual(state["session"]["state"], "wrap_up")
        self.assertEqual(state["contact"]["id"], contact["id"], "the contact stays for the outcome")
        with self.assertRaisesRegex(UserError, "You are not holding this contact any more"):
            self.console(self.op2).hangup(contact["id"])

    def test_send_dtmf_without_pbx(self):
        contact = self.console().start(self.auto.id)["contact"]
        result = self.console().send_dtmf(contact["id"], "12#")
        self.assertFalse(result["sent"])
        self.assertIn("12#", result["message"])
        with self.assertRaisesRegex(UserError, "DTMF accepts only digits"):
            self.console().send_dtmf(contact["id"], "12; DROP")

    def test_register_appointment_needs_agenda(self):
        """Refused without an agenda addon; with smartcall_agenda it opens its form."""
        contact = self.console().start(self.auto.id)["contact"]
        if not self.console()._get_features()["agenda"]:
            with self.assertRaisesRegex(UserError, "need the Smartcall Agenda module"):
                self.console().register_appointment(contact["id"])
            return
        action = self.console().register_appointment(contact["id"])
        self.assertEqual(action["params"], {"contact_id": contact["id"]})

    def test_heartbeat_updates_last_seen(self):
        self.console().start(self.manual.id)
        session = self.env["smartcall.operator.session"].search([("user_id", "=", self.op1.id)])
        session.last_seen_at = fields.Datetime.now() - timedelta(minutes=10)
        self.assertEqual(self.console().heartbeat(), {"ok": True})
        self.assertGreater(session.last_seen_at, fields.Datetime.now() - timedelta(minutes=1))

    def test_logout_releases_contact(self):
        contact = self.console().start(self.auto.id)["contact"]
        state = self.console().logout()
        self.assertEqual(state["session"]["state"], "closed")
        record = self.env["smartcall.campaign.contact"].browse(contact["id"])
        self.assertEqual(record.state, "queued")
        self.assertFalse(record.operator_id)
        session = self.env["smartcall.operator.session"].search(
            [("user_id", "=", self.op1.id)], limit=1
        )
        self.assertEqual(session.state, "closed")
        self.assertTrue(session.ended_at)
