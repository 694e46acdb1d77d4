"""Access over JSON-RPC, as each role, through the real HTTP stack (issue 9, "Access").

Every call goes through /web/dataset/call_kw with the session cookie of the role, exactly as
the web client or a script would send it. Each refusal is its own test: the JSON-RPC error must
be an ``odoo.exceptions.AccessError`` and the rows it aimed at must be unchanged. The allowed
operations (a supervisor reassigns private callbacks, a manager reads and exports the reports)
are checked to work and to do what they say.

Fixtures:
    campaign "JA Shared"   operators op1, op2   contacts: Shared 1 (queued), CB op2 (op2's
                                                private callback, with a note)
    campaign "JA Other"    operator op2 only    contacts: Other 1 (queued)
    op2 has a work session with a paused interval; op1 made one call (NI) in "JA Shared".
    Roles: op1, op2 (operators), supervisor, manager; password = login (new_test_user).
"""

import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

ACCESS_ERROR = "odoo.exceptions.AccessError"
# Rows a refused call could aim at: they must be byte-for-byte the same afterwards.
WATCHED_TABLES = (
    "smartcall_campaign",
    "smartcall_campaign_contact",
    "smartcall_campaign_operator_rel",
    "smartcall_campaign_step",
    "smartcall_operator_session",
    "smartcall_operator_session_interval",
    "smartcall_call",
    "res_config_settings",
)
WATCHED_PARAMS = "smartcall_%"


@tagged("post_install", "-at_install")
class TestJsonRpcAccess(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        operator = "smartcall_campaign.group_operator"
        cls.op1 = new_test_user(cls.env, "ja_op1", groups=operator, tz="Europe/Rome")
        cls.op2 = new_test_user(cls.env, "ja_op2", groups=operator, tz="Europe/Rome")
        cls.supervisor = new_test_user(
            cls.env, "ja_supervisor", groups="smartcall_campaign.group_supervisor"
        )
        cls.manager = new_test_user(
            cls.env, "ja_manager", groups="smartcall_campaign.group_manager"
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "smartcall_campaign.claim_timeout_minutes", "15"
        )
        always = {
            "resource_calendar_id": cls.env.ref(
                "smartcall_campaign.resource_calendar_always_open"
            ).id,
        }
        Campaign = cls.env["smartcall.campaign"]
        cls.shared = Campaign.create(
            dict(always, name="JA Shared", operator_ids=[(6, 0, (cls.op1 | cls.op2).ids)])
        )
        cls.other = Campaign.create(
            dict(always, name="JA Other", operator_ids=[(6, 0, cls.op2.ids)])
        )
        (cls.shared | cls.other).action_start()
        italy = cls.env.ref("base.it")

        def contact(name, campaign, phone, **values):
            partner = cls.env["res.partner"].create(
                {"name": name, "phone": phone, "country_id": italy.id}
            )
            return cls.env["smartcall.campaign.contact"].create(
                {
                    "campaign_id": campaign.id,
                    "partner_id": partner.id,
                    "state": "queued",
                    **values,
                }
            )

        cls.shared_1 = contact("Shared 1", cls.shared, "0881 770001")
        cls.cb_op2 = contact(
            "CB op2",
            cls.shared,
            "0881 770002",
            state="callback",
            callback_owner_id=cls.op2.id,
            callback_note="op2's private note",
            next_call_at=datetime(2030, 1, 10, 9, 0),
        )
        cls.other_1 = contact("Other 1", cls.other, "0881 770003")
        # op2's session times
        cls.session_op2 = cls.env["smartcall.operator.session"]._get_or_open(cls.op2)
        cls.interval_op2 = cls.session_op2.interval_ids[:1]
        # op1's session and one call, for the reports
        cls.session_op1 = cls.env["smartcall.operator.session"]._get_or_open(cls.op1)
        cls.call_op1 = cls.env["smartcall.call"].create(
            {
                "contact_id": cls.shared_1.id,
                "campaign_id": cls.shared.id,
                "partner_id": cls.shared_1.partner_id.id,
                "user_id": cls.op1.id,
                "number": cls.shared_1.phone_e164,
                "direction": "out",
                "state": "done",
                "started_at": datetime(2026, 3, 10, 9, 0),
                "ended_at": datetime(2026, 3, 10, 9, 3),
                "outcome_id": cls.env["smartcall.outcome"].search([("code", "=", "NI")]).id,
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _rpc(self, user, model, method, args=(), kwargs=None):
        """One JSON-RPC call_kw as `user` (logged in over HTTP); the decoded response."""
        self.env.flush_all()
        self.authenticate(user.login, user.login)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": kwargs or {},
            },
        }
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/web/dataset/call_kw/{model}/{method}",
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        return response.json()

    def _snapshot(self):
        self.env.flush_all()
        rows = {}
        for table in WATCHED_TABLES:
            self.env.cr.execute(SQL("SELECT * FROM %s ORDER BY 1, 2", SQL.identifier(table)))
            rows[table] = self.env.cr.fetchall()
        self.env.cr.execute(
            SQL(
                "SELECT key, value FROM ir_config_parameter WHERE key LIKE %s ORDER BY key",
                WATCHED_PARAMS,
            )
        )
        rows["ir_config_parameter"] = self.env.cr.fetchall()
        return rows

    def assertRefused(self, user, model, method, args=(), kwargs=None):
        """The call is refused with an AccessError over JSON-RPC and changes nothing."""
        before = self._snapshot()
        response = self._rpc(user, model, method, args, kwargs)
        self.assertNotIn("result", response, f"{model}.{method} was allowed to {user.login}")
        error = response["error"]
        self.assertEqual(error["data"]["name"], ACCESS_ERROR, error["data"]["message"])
        self.assertTrue(error["data"]["message"].strip())
        self.assertEqual(self._snapshot(), before, "a refused call changed data")
        return error

    def assertAllowed(self, user, model, method, args=(), kwargs=None):
        response = self._rpc(user, model, method, args, kwargs)
        self.assertNotIn(
            "error", response, response.get("error", {}).get("data", {}).get("message")
        )
        return response["result"]

    # ------------------------------------------------------------------
    # Operators: other operators' private callbacks
    # ------------------------------------------------------------------
    def test_operator_cannot_read_other_operators_private_callback(self):
        self.assertRefused(
            self.op1,
            "smartcall.campaign.contact",
            "read",
            [self.cb_op2.ids, ["callback_note", "callback_owner_id", "next_call_at"]],
        )
        # and a search does not list it either (the same campaign's queued contact is listed)
        found = self.assertAllowed(
            self.op1,
            "smartcall.campaign.contact",
            "search_read",
            [[("campaign_id", "=", self.shared.id)], ["id"]],
        )
        self.assertEqual([row["id"] for row in found], self.shared_1.ids)

    def test_operator_cannot_write_other_operators_private_callback(self):
        self.assertRefused(
            self.op1,
            "smartcall.campaign.contact",
            "write",
            [
                self.cb_op2.ids,
                {"callback_owner_id": self.op1.id, "callback_note": "mine now"},
            ],
        )
        self.assertEqual(self.cb_op2.callback_owner_id, self.op2)
        self.assertEqual(self.cb_op2.callback_note, "op2's private note")

    def test_operator_cannot_reassign_private_callbacks(self):
        self.assertRefused(
            self.op1,
            "smartcall.callback.reassign",
            "create",
            [{"contact_ids": [(6, 0, self.cb_op2.ids)], "new_owner_id": self.op1.id}],
        )
        self.assertEqual(self.cb_op2.callback_owner_id, self.op2)

    def test_operator_cannot_call_private_reassign_method(self):
        self.assertRefused(
            self.op1,
            "smartcall.campaign.contact",
            "_reassign_private_callback",
            [self.cb_op2.ids, self.op1.id],
        )
        self.assertEqual(self.cb_op2.callback_owner_id, self.op2)

    # ------------------------------------------------------------------
    # Operators: campaigns they are not assigned to
    # ------------------------------------------------------------------
    def test_operator_cannot_read_unassigned_campaign(self):
        self.assertRefused(self.op1, "smartcall.campaign", "read", [self.other.ids, ["name"]])
        found = self.assertAllowed(self.op1, "smartcall.campaign", "search_read", [[], ["id"]])
        self.assertNotIn(self.other.id, [row["id"] for row in found])

    def test_operator_cannot_read_unassigned_campaign_contacts(self):
        self.assertRefused(
            self.op1,
            "smartcall.campaign.contact",
            "read",
            [self.other_1.ids, ["partner_id"]],
        )

    def test_operator_cannot_write_unassigned_campaign(self):
        self.assertRefused(
            self.op1,
            "smartcall.campaign",
            "write",
            [self.other.ids, {"operator_ids": [(4, self.op1.id)]}],
        )
        self.assertNotIn(self.op1, self.other.operator_ids)

    def test_operator_cannot_write_unassigned_campaign_contacts(self):
        self.assertRefused(
            self.op1,
            "smartcall.campaign.contact",
            "write",
            [self.other_1.ids, {"state": "done"}],
        )
        self.assertEqual(self.other_1.state, "queued")

    # ------------------------------------------------------------------
    # Operators (and supervisors): the settings
    # ------------------------------------------------------------------
    def test_operator_cannot_change_campaign_workflow(self):
        agenda = self.shared.workflow_step_ids.filtered(lambda s: s.step == "agenda")
        self.assertRefused(
            self.op1, "smartcall.campaign.step", "write", [agenda.ids, {"sequence": 99}]
        )
        self.assertRefused(self.op1, "smartcall.campaign.step", "unlink", [agenda.ids])
        self.assertRefused(
            self.op1,
            "smartcall.campaign.step",
            "create",
            [{"campaign_id": self.other.id, "step": "agenda"}],
        )

    def test_operator_cannot_read_unassigned_campaign_workflow(self):
        self.assertRefused(
            self.op1,
            "smartcall.campaign.step",
            "read",
            [self.other.workflow_step_ids.ids, ["step"]],
        )
        found = self.assertAllowed(
            self.op1, "smartcall.campaign.step", "search_read", [[], ["campaign_id"]]
        )
        self.assertEqual({row["campaign_id"][0] for row in found}, {self.shared.id})

    def test_manager_changes_campaign_workflow(self):
        agenda = self.shared.workflow_step_ids.filtered(lambda s: s.step == "agenda")
        self.assertAllowed(self.manager, "smartcall.campaign.step", "unlink", [agenda.ids])
        self.assertEqual(self.shared._get_workflow_steps(), ["script", "cart", "outcome"])

    def test_operator_cannot_read_settings(self):
        self.assertRefused(
            self.op1,
            "res.config.settings",
            "search_read",
            [[], ["smartcall_claim_timeout_minutes"]],
        )

    def test_operator_cannot_write_settings(self):
        self.assertRefused(
            self.op1,
            "res.config.settings",
            "create",
            [{"smartcall_claim_timeout_minutes": 1}],
        )

    def test_operator_cannot_read_config_parameters(self):
        self.assertRefused(
            self.op1,
            "ir.config_parameter",
            "get_param",
            ["smartcall_campaign.claim_timeout_minutes"],
        )

    def test_operator_cannot_write_config_parameters(self):
        self.assertRefused(
            self.op1,
            "ir.config_parameter",
            "set_param",
            ["smartcall_campaign.claim_timeout_minutes", "1"],
        )
        self.assertEqual(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("smartcall_campaign.claim_timeout_minutes"),
            "15",
        )

    def test_supervisor_cannot_write_settings(self):
        self.assertRefused(
            self.supervisor,
            "res.config.settings",
            "create",
            [{"smartcall_claim_timeout_minutes": 1}],
        )

    # ------------------------------------------------------------------
    # Operators: other operators' session times
    # ------------------------------------------------------------------
    def test_operator_cannot_read_other_operators_session(self):
        self.assertRefused(
            self.op1,
            "smartcall.operator.session",
            "read",
            [self.session_op2.ids, ["state", "started_at", "last_seen_at"]],
        )

    def test_operator_cannot_read_other_operators_session_intervals(self):
        self.assertRefused(
            self.op1,
            "smartcall.operator.session.interval",
            "read",
            [self.interval_op2.ids, ["state", "started_at", "duration"]],
        )
        # grouped totals only count op1's own intervals
        groups = self.assertAllowed(
            self.op1,
            "smartcall.operator.session.interval",
            "read_group",
            [[], ["user_id"], ["user_id"]],
        )
        self.assertEqual([g["user_id"][0] for g in groups], self.op1.ids)

    def test_operator_cannot_forge_own_session_times(self):
        self.assertRefused(
            self.op1,
            "smartcall.operator.session.interval",
            "write",
            [self.session_op1.interval_ids.ids, {"started_at": "2026-01-01 00:00:00"}],
        )

    # ------------------------------------------------------------------
    # Operators: the reports
    # ------------------------------------------------------------------
    def test_operator_cannot_read_reports(self):
        self.assertRefused(
            self.op1,
            "smartcall.operator.report",
            "read_group",
            [[], ["call_count:sum"], ["user_id"]],
        )

    # ------------------------------------------------------------------
    # What the roles above may do
    # ------------------------------------------------------------------
    def test_supervisor_reassigns_private_callbacks(self):
        wizard_id = self.assertAllowed(
            self.supervisor,
            "smartcall.callback.reassign",
            "create",
            [{"contact_ids": [(6, 0, self.cb_op2.ids)], "new_owner_id": self.op1.id}],
        )
        self.assertAllowed(
            self.supervisor,
            "smartcall.callback.reassign",
            "action_reassign",
            [[wizard_id]],
        )
        self.assertEqual(self.cb_op2.callback_owner_id, self.op1)
        self.assertEqual(self.cb_op2.state, "callback")
        self.assertEqual(self.cb_op2.callback_note, "op2's private note")
        # the new owner sees it, the former owner no longer does
        mine = self.assertAllowed(self.op1, "smartcall.console", "list_my_callbacks")
        self.assertEqual([row["contact_id"] for row in mine], self.cb_op2.ids)
        theirs = self.assertAllowed(self.op2, "smartcall.console", "list_my_callbacks")
        self.assertEqual(theirs, [])

    def test_manager_reads_reports(self):
        groups = self.assertAllowed(
            self.manager,
            "smartcall.operator.report",
            "read_group",
            [[("kind", "=", "call")], ["call_count:sum"], ["user_id"]],
        )
        by_user = {g["user_id"][0]: g["call_count"] for g in groups if g["user_id"]}
        self.assertEqual(by_user.get(self.op1.id), 1)

    def test_manager_exports_reports(self):
        ids = self.assertAllowed(
            self.manager,
            "smartcall.operator.report",
            "search",
            [[("kind", "=", "call"), ("user_id", "=", self.op1.id)]],
        )
        self.assertTrue(ids)
        exported = self.assertAllowed(
            self.manager,
            "smartcall.operator.report",
            "export_data",
            [ids, ["user_id", "campaign_id", "outcome_id", "call_count"]],
        )
        self.assertEqual(
            exported["datas"],
            [[self.op1.name, "JA Shared", self.call_op1.outcome_id.display_name, 1]],
        )

    # ------------------------------------------------------------------
    # The queue is closed to direct writes (issue 12, item 6): every role
    # ------------------------------------------------------------------
    def _roles(self):
        return (self.op1, self.supervisor, self.manager)

    def test_queue_fields_closed_to_every_role(self):
        """No role changes what drives the queue with a plain write: not the priority, the
        attempts, the state, the holder, the callback owner, the due time..."""
        outcome = self.env["smartcall.outcome"].search([("code", "=", "NI")])
        writes = {
            "queue_priority": 30,
            "attempt_count": 0,
            "state": "done",
            "operator_id": self.op1.id,
            "callback_owner_id": self.op1.id,
            "next_call_at": "2030-01-01 09:00:00",
            "claimed_at": "2030-01-01 09:00:00",
            "postponed_to_next_plan": True,
            "postponed_on": "2030-01-01",
            "plan_date": "2030-01-01",
            "excluded_reason": "forged",
            "campaign_id": self.other.id,
            "last_outcome_id": outcome.id,
        }
        for user in self._roles():
            for fname, value in writes.items():
                with self.subTest(user=user.login, field=fname):
                    self.assertRefused(
                        user,
                        "smartcall.campaign.contact",
                        "write",
                        [self.shared_1.ids, {fname: value}],
                    )
        self.assertEqual(self.shared_1.state, "queued")
        self.assertEqual(self.shared_1.queue_priority, 10)

    def test_contacts_create_unlink_closed(self):
        """Contacts enter a campaign through the contact import and the add-to-campaign
        wizard, and leave it through the outcomes: no role creates or deletes one over RPC,
        not even with only the campaign and the customer."""
        partner = self.env["res.partner"].create({"name": "Forged", "phone": "0881 770009"})
        for user in self._roles():
            with self.subTest(user=user.login):
                self.assertRefused(
                    user,
                    "smartcall.campaign.contact",
                    "create",
                    [{"campaign_id": self.shared.id, "partner_id": partner.id}],
                )
                self.assertRefused(
                    user, "smartcall.campaign.contact", "unlink", [self.shared_1.ids]
                )
        self.assertFalse(
            self.env["smartcall.campaign.contact"].search([("partner_id", "=", partner.id)])
        )
        self.assertTrue(self.shared_1.exists())
        # the manager's wizard still adds the customer to the campaign
        wizard = (
            self.env["smartcall.add.to.campaign"]
            .with_user(self.manager)
            .with_context(active_model="res.partner", active_ids=partner.ids)
            .create({"campaign_id": self.shared.id})
        )
        wizard.action_add()
        added = self.env["smartcall.campaign.contact"].search([("partner_id", "=", partner.id)])
        self.assertEqual((added.campaign_id, added.state), (self.shared, "new"))

    def test_calls_sessions_counters_closed_to_every_role(self):
        """The calls, the session times and the counters feed the reports and the wall: no
        role creates, changes or deletes them over RPC."""
        outcome = self.env["smartcall.outcome"].search([("code", "=", "A")])
        for user in self._roles():
            with self.subTest(user=user.login):
                self.assertRefused(
                    user, "smartcall.call", "write", [self.call_op1.ids, {"outcome_id": outcome.id}]
                )
                self.assertRefused(
                    user,
                    "smartcall.call",
                    "create",
                    [
                        {
                            "contact_id": self.shared_1.id,
                            "partner_id": self.shared_1.partner_id.id,
                            "user_id": user.id,
                            "number": "+390881770001",
                        }
                    ],
                )
                self.assertRefused(user, "smartcall.call", "unlink", [self.call_op1.ids])
                self.assertRefused(
                    user,
                    "smartcall.operator.session",
                    "write",
                    [self.session_op2.ids, {"state": "ready"}],
                )
                self.assertRefused(
                    user, "smartcall.operator.session", "create", [{"user_id": user.id}]
                )
                self.assertRefused(
                    user, "smartcall.operator.session", "unlink", [self.session_op2.ids]
                )
                self.assertRefused(
                    user,
                    "smartcall.operator.session.interval",
                    "write",
                    [self.interval_op2.ids, {"started_at": "2026-01-01 00:00:00"}],
                )
                self.assertRefused(
                    user,
                    "smartcall.operator.session.interval",
                    "unlink",
                    [self.interval_op2.ids],
                )
                self.assertRefused(
                    user,
                    "smartcall.campaign.counter",
                    "create",
                    [{"campaign_id": self.shared.id, "state": "queued", "delta": 1000}],
                )

    def test_contracts_closed_to_call_center_roles(self):
        """Contracts (sale orders with a protocol) come from the outcome page only."""
        order = (
            self.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": self.shared_1.partner_id.id,
                    "smartcall_protocol": "JA-0001",
                    "smartcall_campaign_id": self.shared.id,
                }
            )
        )
        for user in self._roles():
            with self.subTest(user=user.login):
                self.assertRefused(
                    user, "sale.order", "write", [order.ids, {"smartcall_protocol": "JA-9999"}]
                )
                self.assertRefused(
                    user,
                    "sale.order",
                    "create",
                    [{"partner_id": self.shared_1.partner_id.id, "smartcall_protocol": "JA-2"}],
                )
                self.assertRefused(user, "sale.order", "unlink", [order.ids])
        self.assertEqual(order.smartcall_protocol, "JA-0001")

    def test_console_keeps_working_for_every_role(self):
        """With the queue closed, each role still works the queue through the console: Start
        claims a contact, Hang up, CONFERMA ESITO closes it."""
        outcome = self.env["smartcall.outcome"].search([("code", "=", "NI")])
        self.shared.write({"operator_ids": [(4, self.supervisor.id), (4, self.manager.id)]})
        italy = self.env.ref("base.it")
        for index, user in enumerate(self._roles()):
            with self.subTest(user=user.login):
                partner = self.env["res.partner"].create(
                    {
                        "name": f"Console {index}",
                        "phone": f"0881 77110{index}",
                        "country_id": italy.id,
                    }
                )
                contact = self.env["smartcall.campaign.contact"].create(
                    {"campaign_id": self.shared.id, "partner_id": partner.id}
                )
                # a public callback due a minute ago: claimed before anything else
                contact.sudo().write(
                    {
                        "state": "queued",
                        "queue_priority": 30,
                        "next_call_at": datetime.now() - timedelta(minutes=1),
                    }
                )
                self.env.flush_all()
                state = self.assertAllowed(user, "smartcall.console", "start", [self.shared.id])
                self.assertEqual(state["contact"]["id"], contact.id)
                self.assertAllowed(user, "smartcall.console", "hangup", [contact.id])
                self.assertAllowed(
                    user,
                    "smartcall.console",
                    "confirm_outcome",
                    [contact.id, {"outcome_id": outcome.id, "notes": "not interested"}],
                )
                self.assertEqual(contact.state, "done")
                self.assertEqual(contact.last_outcome_id, outcome)
                self.assertAllowed(user, "smartcall.console", "logout")
