# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One operator day from end to end, across the addons (issue 2, grown by each issue).

campaign (import, work plan) -> call -> outcome (CALLBK public, DNC, STOP) -> the
callback comes back to another operator first -> on-line sale (type C) -> logout.
Later issues add: appointment -> agent KO -> reschedule -> inbound call.
"""

import base64

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user

CSV = (
    "ragione sociale;partita iva;telefono;cellulare;indirizzo;comune;cap;provincia\n"
    "Ferramenta Rossi s.n.c.;IT01234567897;0881 540123;;Via Roma 12;Lucera;71036;FG\n"
    "Bar Centrale di Greco Mario;;0881 520456;347 1234567;Piazza Duomo 3;Lucera;71036;FG\n"
    "Panificio Lombardi;;0881 530789;;Via Foggia 8;Lucera;71036;FG\n"
    "Studio Bianchi;;080 5210000;;Via Sparano 1;Bari;70121;BA\n"
    "Numero Sbagliato Srl;;12;;Via Roma 1;Lucera;71036;FG\n"
)


class TestOperatorDay(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        groups = "smartcall_campaign.group_operator"
        cls.giulia = new_test_user(cls.env, "day_giulia", groups=groups, tz="Europe/Rome")
        cls.marco = new_test_user(cls.env, "day_marco", groups=groups, tz="Europe/Rome")
        cls.stefania = new_test_user(
            cls.env, "day_stefania", groups="smartcall_campaign.group_supervisor"
        )
        cls.manager = new_test_user(
            cls.env, "day_manager", groups="smartcall_campaign.group_manager"
        )
        cls.fg = cls.env["res.country.state"].search(
            [("country_id.code", "=", "IT"), ("code", "=", "FG")]
        )
        cls.outcome = {o.code: o for o in cls.env["smartcall.outcome"].search([])}
        cls.fibre = cls.env["product.product"].create(
            {"name": "Fibra Business 1 Giga", "list_price": 39.9, "sale_ok": True}
        )

    def _console(self, user):
        return self.env["smartcall.console"].with_user(user)

    def _confirm(self, user, contact_id, code, **values):
        values = dict({"outcome_id": self.outcome[code].id, "notes": ""}, **values)
        console = self._console(user)
        console.hangup(contact_id)
        return console.confirm_outcome(contact_id, values)

    def test_operator_day(self):
        # 08:30 in Rome, a Tuesday: the manager prepares the campaign.
        with freeze_time("2026-03-10 07:30:00"):
            campaign = (
                self.env["smartcall.campaign"]
                .with_user(self.manager)
                .create(
                    {
                        "name": "Fibra Business Lucera",
                        "mode": "automatic",
                        "tz": "Europe/Rome",
                        "zone_state_ids": [(6, 0, self.fg.ids)],
                        "operator_ids": [(6, 0, (self.giulia | self.marco).ids)],
                        "script_html": "<p>Buongiorno, parlo con {{name}} di {{city}}?</p>",
                    }
                )
            )
            campaign.action_start()
            wizard = (
                self.env["smartcall.contact.import"]
                .with_user(self.stefania)
                .create(
                    {
                        "campaign_id": campaign.id,
                        "file": base64.b64encode(CSV.encode()),
                        "filename": "lucera.csv",
                    }
                )
            )
            job = self.env["smartcall.import.job"].browse(wizard.action_import()["res_id"])
            job._run_until_done()  # what the import cron does in the background
            self.assertEqual(job.created_count, 4)
            self.assertEqual(job.error_count, 1, "the bad number is reported, not kept")
            self.assertEqual(job.error_ids.line, 6, "the bad row is reported by its line")
            # The list was checked against the Registro delle Opposizioni (DPR 26/2022).
            campaign.with_user(self.stefania).action_record_registro_check()
            campaign.with_user(self.stefania).action_build_work_plan()
            contacts = campaign.contact_ids
            by_name = {c.partner_id.name: c for c in contacts}
            self.assertEqual(by_name["Studio Bianchi"].state, "new", "Bari is outside the zone")
            self.assertEqual(len(contacts.filtered(lambda c: c.state == "queued")), 3)
            # Outside work hours nobody gets a contact.
            self.assertFalse(self._console(self.giulia).start(campaign.id)["contact"])

        # 09:05: Giulia starts; the automatic campaign proposes a contact at once.
        with freeze_time("2026-03-10 08:05:00"):
            state = self._console(self.giulia).next_contact()
            first = state["contact"]
            self.assertTrue(first, "in work hours a contact is proposed")
            self.assertIn(first["partner"]["name"], first["script_html"])
            # The customer wants a call back at 15:00 today: public callback.
            state = self._confirm(
                self.giulia,
                first["id"],
                "CALLBK",
                notes="Richiamare il titolare alle 15",
                callback={"private": False, "date": "2026-03-10", "time": "15:00", "note": ""},
            )
            second = state["contact"]
            self.assertTrue(second, "after the outcome the next contact comes at once")
            self.assertNotEqual(second["id"], first["id"])
            # The second customer is on the Registro delle Opposizioni.
            state = self._confirm(self.giulia, second["id"], "DNC")
            dnc_numbers = [n["e164"] for n in second["numbers"]]
            blacklisted = self.env["phone.blacklist"].search([("number", "in", dnc_numbers)])
            self.assertEqual(len(blacklisted), len(dnc_numbers))
            third = state["contact"]
            # STOP/CHIUDI: the third contact goes back untouched, nothing is saved.
            self._console(self.giulia).hangup(third["id"])
            self._console(self.giulia).stop(third["id"])
            self._console(self.giulia).pause(
                self.env.ref("smartcall_campaign.pause_reason_break").id
            )
            self._console(self.giulia).logout()

        first_contact = self.env["smartcall.campaign.contact"].browse(first["id"])
        second_contact = self.env["smartcall.campaign.contact"].browse(second["id"])
        third_contact = self.env["smartcall.campaign.contact"].browse(third["id"])
        self.assertEqual(first_contact.state, "queued")
        self.assertEqual(second_contact.state, "excluded")
        self.assertEqual(third_contact.state, "queued")
        self.assertFalse(third_contact.call_ids.filtered("notes"), "STOP saved no notes")

        # 15:01: Marco starts; the due public callback comes before the new contact.
        with freeze_time("2026-03-10 14:01:00"):
            state = self._console(self.marco).start(campaign.id)
            self.assertEqual(state["contact"]["id"], first["id"], "the due callback comes first")
            state = self._confirm(
                self.marco,
                first["id"],
                "VEND",
                notes="Contratto Fibra Business firmato al telefono",
                cart=[
                    {
                        "product_id": self.fibre.id,
                        "quantity": 1,
                        "price_unit": 39.9,
                        "discount": 10,
                    }
                ],
            )
            # The DNC customer never comes back, even after a new work plan and import.
            campaign.with_user(self.stefania).action_build_work_plan()
            seen = set()
            while state["contact"]:
                seen.add(state["contact"]["id"])
                state = self._confirm(self.marco, state["contact"]["id"], "NI")
            self.assertNotIn(second["id"], seen)
            self.assertIn(third["id"], seen)
            self._console(self.marco).logout()

        self.assertEqual(first_contact.state, "done")
        calls = first_contact.call_ids.sorted("id")
        self.assertEqual(calls.mapped("outcome_id.code"), ["CALLBK", "VEND"])
        self.assertEqual(calls.mapped("user_id"), self.giulia | self.marco)
        order = calls[-1].sale_order_id
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id, first_contact.partner_id)
        self.assertAlmostEqual(order.order_line.price_subtotal, 35.91, places=2)
        sessions = self.env["smartcall.operator.session"].search(
            [("user_id", "in", (self.giulia | self.marco).ids)]
        )
        self.assertEqual(set(sessions.mapped("state")), {"closed"})
        self.assertTrue(
            sessions.interval_ids.filtered(lambda i: i.state == "in_call"),
            "time in call is tracked",
        )
