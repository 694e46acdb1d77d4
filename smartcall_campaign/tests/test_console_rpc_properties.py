# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bad input on the console RPC API (issue 9, "Bad input"), with property-based tests.

Every method the OWL console calls over RPC (start, pause, next_contact, pick_contact,
list_pickable_contacts, dial, add_mobile, hangup, send_dtmf, heartbeat, logout) is called as
the operator with generated arguments: wrong JSON types, ids of missing records or of records
that belong to someone else, huge and unicode strings, foreign and malformed numbers, operator
time zones far from the campaign's, instants around midnight and the DST changes.

Each call must end either in a result the client can use (JSON-able, checked against what
the rules allow) or in a translated UserError / ValidationError / AccessError /
MissingError with a plain message; never another exception. A refused call must leave every
row it could touch (contacts, sessions, intervals, calls, orders, blacklist, partners)
exactly as before; an accepted one must leave the other operators' rows alone.

Each example runs in a savepoint rolled back afterwards, so the examples do not see each other.
"""

import re
from datetime import datetime

from hypothesis import example, given
from hypothesis import strategies as st

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import code_translations

from .common import working_hours
from .rpc_property_common import (
    NOW,
    PROPERTY_SETTINGS,
    Ref,
    RpcPropertyHarness,
    any_text,
    instants,
    json_values,
    odd_ids,
    ref_or_odd_id,
    timezones,
)

E164_RE = re.compile(r"^\+[1-9]\d{5,14}$")
DTMF_RE = re.compile(r"^[0-9*#]{1,32}$")
HELD_STATES = ("in_call", "wrap_up")

# ----------------------------------------------------------------------
# Strategies (the shared ones are in rpc_property_common)
# ----------------------------------------------------------------------
phone_numbers = st.one_of(
    st.sampled_from(
        [
            "+44 20 7946 0958",
            "+1 650-253-0000",
            "+49 30 901820",
            "+33 1 23 45 67 89",
            "0044 20 7946 0958",
            "+86 10 1234 5678",
            "333 123 4567",
            "+39 333 1234567",
            "0881 540001",
            "+39",
            "+",
            "00",
            "123",
            "+39 0881 540001999999999999",
            "tel:+390881540001",
            "+39 (0881) 540-001",
            "３３３１２３４５６７",
            "+٣٩٣٣٣١٢٣٤٥٦٧",
            "9" * 300,
            "+39 333 1234567\x00",
        ]
    ),
    st.text(alphabet="0123456789+-() .#*x", max_size=30),
    any_text,
    json_values,
)
users = st.sampled_from(["op1", "op1", "op1", "employee"])


@tagged("post_install", "-at_install", "smartcall_rpc_properties")
class TestConsoleRpcProperties(RpcPropertyHarness, TransactionCase):
    """Fixtures (time frozen at NOW, moved per example; op1, op2, employee and the campaigns
    auto, manual and foreign come from RpcPropertyHarness):

    auto     automatic, always open        operators op1, op2   Auto 1..3 queued, Auto BL
             (its phone is blacklisted, never claimed)
    manual   manual, always open           operators op1, op2   Man 1..2 queued, Man BL
             (blacklisted), Man CB op2 (op2's private callback), Man held op2 (op2 holds it,
             op2 has a session), Man done (done)
    foreign  manual, always open           operator op2 only    Foreign 1, Foreign 2 queued
    office   automatic, Mon-Fri 9-18 Rome  operator op1         Office 1, Office 2 queued
    draft    manual, draft                 operator op1         Draft 1 queued
    op1 (the operator under test) and op2 work in Europe/Rome unless an example changes op1's
    tz; employee is an internal user who is no operator.
    """

    FIXTURE_PREFIX = "rpc"
    CAMPAIGN_VALUES = {
        "script_html": "<p>Buongiorno {{name}} di {{city}}, sono {{operator}}.</p>",
    }
    PARTNER_ADDRESS = {"street": "Via Roma 1", "city": "Lucera", "zip": "71036"}
    FIRST_PHONE = 540100

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.office = cls._make_campaign(
            "Office",
            "automatic",
            cls.op1,
            resource_calendar_id=working_hours(cls.env, "Office", 9.0, 18.0, range(5)).id,
        )
        cls.draft = cls._make_campaign("Draft", "manual", cls.op1)
        cls.office.action_start()
        cls.auto_1 = cls._make_contact("Auto 1", cls.auto, mobile="+39 333 7000001")
        cls.auto_2 = cls._make_contact("Auto 2", cls.auto)
        cls.auto_3 = cls._make_contact("Auto 3", cls.auto)
        cls.auto_bl = cls._make_contact("Auto BL", cls.auto)
        cls.man_1 = cls._make_contact("Man 1", cls.manual)
        cls.man_2 = cls._make_contact("Man 2", cls.manual, mobile="+39 333 7000002")
        cls.man_bl = cls._make_contact("Man BL", cls.manual)
        cls.man_cb_op2 = cls._make_contact(
            "Man CB op2",
            cls.manual,
            state="callback",
            callback_owner_id=cls.op2.id,
            callback_note="op2's secret note",
            next_call_at=datetime(2026, 3, 12, 9, 0),
        )
        cls.man_held_op2 = cls._make_held_by_op2("Man held op2", cls.manual)
        cls.man_done = cls._make_contact("Man done", cls.manual, state="done")
        cls.foreign_1 = cls._make_contact("Foreign 1", cls.foreign)
        cls.foreign_2 = cls._make_contact("Foreign 2", cls.foreign)
        cls.office_1 = cls._make_contact("Office 1", cls.office)
        cls.office_2 = cls._make_contact("Office 2", cls.office)
        cls.draft_1 = cls._make_contact("Draft 1", cls.draft)
        cls.env["phone.blacklist"].sudo()._add(
            [cls.auto_bl.phone_e164, cls.man_bl.phone_e164], message="test"
        )
        cls.archived_reason = cls.env["smartcall.pause.reason"].create(
            {"name": "Archived reason", "active": False}
        )
        # other operators' rows: no call of op1 may ever change them
        cls.others_contacts = (
            cls.man_cb_op2
            | cls.man_held_op2
            | cls.man_done
            | cls.foreign_1
            | cls.foreign_2
            | cls.draft_1
            | cls.auto_bl
            | cls.man_bl
        )
        cls.env.flush_all()

    # ------------------------------------------------------------------
    # Harness (the rest is RpcPropertyHarness)
    # ------------------------------------------------------------------
    def _setup_state(self, state):
        """Put op1's console in `state` before the call under test (as op1, through the API)."""
        console = self._console()
        if state == "none":
            return None
        if state == "closed":
            console.start(self.manual.id)
            console.logout()
            return None
        if state == "ready_manual":
            console.start(self.manual.id)
            return None
        if state == "ready_auto":
            # ready in the automatic campaign without a contact (e.g. the queue was empty)
            held = console.start(self.auto.id)["contact"]
            self.env["smartcall.campaign.contact"].browse(held["id"])._release_to_queue()
            self._session()._set_state("ready")
            return None
        if state == "paused":
            console.start(self.manual.id)
            console.pause(self.reason_break.id)
            return None
        if state in ("held", "wrap_up", "held_blacklisted", "held_paused"):
            contact = console.start(self.auto.id)["contact"]
            self.assertTrue(contact, "the automatic campaign proposes a contact")
            record = self.env["smartcall.campaign.contact"].browse(contact["id"])
            if state == "wrap_up":
                console.hangup(record.id)
            if state == "held_paused":
                # Pause pressed during the call: it starts after the outcome
                console.pause(self.reason_break.id)
            if state == "held_blacklisted":
                # meanwhile another operator put this customer's number in the DNC list
                self.env["phone.blacklist"].sudo()._add([record.phone_e164])
            return record
        if state == "campaign_stopped":
            console.start(self.manual.id)
            self.manual.action_pause()
            return None
        if state == "unassigned":
            console.start(self.manual.id)
            self.manual.operator_ids = [(3, self.op1.id)]
            return None
        raise AssertionError(state)

    # ------------------------------------------------------------------
    # start
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        campaign=ref_or_odd_id("auto", "manual", "foreign", "office", "draft"),
        state=st.sampled_from(
            ["none", "closed", "ready_manual", "paused", "held", "wrap_up", "held_paused"]
        ),
        user=users,
        tz=timezones,
        instant=instants,
    )
    @example(campaign="abc", state="none", user="op1", tz=False, instant=NOW)
    @example(campaign=None, state="none", user="op1", tz=False, instant=NOW)
    @example(campaign=2**63, state="none", user="op1", tz=False, instant=NOW)
    @example(campaign=[1], state="none", user="op1", tz=False, instant=NOW)
    @example(campaign=float("inf"), state="none", user="op1", tz=False, instant=NOW)
    @example(campaign=Ref("foreign"), state="none", user="op1", tz=False, instant=NOW)
    @example(campaign=Ref("manual"), state="held", user="op1", tz=False, instant=NOW)
    @example(campaign=Ref("auto"), state="held_paused", user="op1", tz=False, instant=NOW)
    @example(campaign=Ref("manual"), state="held_paused", user="op1", tz=False, instant=NOW)
    def test_start(self, campaign, state, user, tz, instant):
        def body():
            self._prepare(tz, instant)
            held = self._setup_state(state)
            campaign_id = self._resolve(campaign)
            result, error = self._call(self._user(user), "start", campaign_id)
            if user == "employee":
                self.assertIsInstance(error, AccessError)
                return
            allowed = (self.auto | self.manual | self.office).ids
            if campaign_id not in allowed or isinstance(campaign_id, bool):
                self.assertTrue(error, f"start({campaign_id!r}) must be refused")
                return
            if held and campaign_id != self.auto.id:
                self.assertTrue(error, "changing campaign while holding a contact is refused")
                return
            self.assertFalse(error, f"start({campaign_id!r}) refused: {error}")
            session = result["session"]
            self.assertEqual(session["campaign_id"], campaign_id)
            self.assertIn(session["state"], ("ready", "in_call", "wrap_up"))
            # Start during the call cancels a pause asked for after it
            self.assertFalse(session["pending_pause_reason_id"])
            if held:
                self.assertEqual(result["contact"]["id"], held.id, "the call goes on")
            if result["contact"]:
                contact = self.env["smartcall.campaign.contact"].browse(result["contact"]["id"])
                self.assertEqual(contact.operator_id, self.op1)
                self.assertEqual(contact.state, "in_call")
                self.assertEqual(contact.campaign_id.id, campaign_id)
                self.assertFalse(contact._get_blacklisted_numbers())

        self._run(body)

    # ------------------------------------------------------------------
    # pause
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        reason=ref_or_odd_id("reason_break", "archived_reason"),
        state=st.sampled_from(
            ["none", "closed", "ready_manual", "paused", "held", "wrap_up", "held_paused"]
        ),
        tz=timezones,
        instant=instants,
    )
    @example(reason="abc", state="ready_manual", tz=False, instant=NOW)
    @example(reason={"id": 1}, state="ready_manual", tz=False, instant=NOW)
    @example(reason=-5, state="ready_manual", tz=False, instant=NOW)
    @example(reason=Ref("reason_break"), state="held", tz=False, instant=NOW)
    @example(reason=Ref("archived_reason"), state="ready_manual", tz=False, instant=NOW)
    @example(reason=Ref("archived_reason"), state="held", tz=False, instant=NOW)
    def test_pause(self, reason, state, tz, instant):
        def body():
            self._prepare(tz, instant)
            held = self._setup_state(state)
            reason_id = self._resolve(reason)
            result, error = self._call(self.op1, "pause", reason_id)
            # an archived reason (a manager archived it while the list was open) is refused
            valid_reason = reason_id == self.reason_break.id and not isinstance(reason_id, bool)
            if state in ("none", "closed") or not valid_reason:
                self.assertTrue(error, f"pause({reason_id!r}) in {state} must be refused")
                return
            self.assertFalse(error, f"pause({reason_id!r}) refused: {error}")
            session = result["session"]
            if held:
                # Pause at any moment: the call and its outcome go on, the pause waits for them
                self.assertIn(session["state"], HELD_STATES)
                self.assertEqual(session["pending_pause_reason_id"], reason_id)
                self.assertFalse(session["pause_reason_id"])
                self.assertEqual(result["contact"]["id"], held.id)
                self.assertEqual((held.state, held.operator_id), ("in_call", self.op1))
                return
            self.assertEqual(session["state"], "paused")
            self.assertEqual(session["pause_reason_id"], reason_id)
            self.assertFalse(session["pending_pause_reason_id"])
            self.assertIsNone(result["contact"], "in Pause no contact is proposed")

        self._run(body)

    # ------------------------------------------------------------------
    # next_contact
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        state=st.sampled_from(
            [
                "none",
                "closed",
                "ready_auto",
                "ready_manual",
                "paused",
                "held",
                "wrap_up",
                "campaign_stopped",
                "unassigned",
            ]
        ),
        tz=timezones,
        instant=instants,
    )
    def test_next_contact(self, state, tz, instant):
        def body():
            self._prepare(tz, instant)
            held = self._setup_state(state)
            queued_before = self.env["smartcall.campaign.contact"].search(
                [("state", "=", "queued")]
            )
            result, error = self._call(self.op1, "next_contact")
            if state in ("none", "closed", "paused", "campaign_stopped", "unassigned"):
                self.assertTrue(error, f"next_contact in {state} must be refused")
                return
            self.assertFalse(error, f"next_contact in {state} refused: {error}")
            contact = result["contact"]
            if held:
                self.assertEqual(contact and contact["id"], held.id, "the held contact stays")
                return
            if not contact:
                return
            record = self.env["smartcall.campaign.contact"].browse(contact["id"])
            self.assertIn(record, queued_before, "only a queued contact is handed out")
            self.assertEqual(record.operator_id, self.op1)
            self.assertEqual(record.campaign_id, self._session().campaign_id)
            self.assertNotIn(record, self.others_contacts)

        self._run(body)

    # ------------------------------------------------------------------
    # pick_contact
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        contact=ref_or_odd_id(
            "man_1",
            "man_2",
            "man_bl",
            "man_cb_op2",
            "man_held_op2",
            "man_done",
            "foreign_1",
            "auto_2",
            "draft_1",
        ),
        state=st.sampled_from(
            [
                "none",
                "ready_manual",
                "ready_manual",
                "ready_auto",
                "paused",
                "held",
                "unassigned",
            ]
        ),
        tz=timezones,
        instant=instants,
    )
    @example(contact="abc", state="ready_manual", tz=False, instant=NOW)
    @example(contact=None, state="ready_manual", tz=False, instant=NOW)
    @example(contact=2**63, state="ready_manual", tz=False, instant=NOW)
    @example(contact=Ref("foreign_1"), state="ready_manual", tz=False, instant=NOW)
    @example(contact=Ref("man_cb_op2"), state="ready_manual", tz=False, instant=NOW)
    @example(contact=Ref("man_held_op2"), state="ready_manual", tz=False, instant=NOW)
    def test_pick_contact(self, contact, state, tz, instant):
        def body():
            self._prepare(tz, instant)
            self._setup_state(state)
            contact_id = self._resolve(contact)
            result, error = self._call(self.op1, "pick_contact", contact_id)
            pickable = (self.man_1 | self.man_2).ids
            if (
                state != "ready_manual"
                or contact_id not in pickable
                or isinstance(contact_id, bool)
            ):
                self.assertTrue(error, f"pick_contact({contact_id!r}) in {state} must be refused")
                return
            self.assertFalse(error, f"pick_contact({contact_id!r}) refused: {error}")
            self.assertEqual(result["contact"]["id"], contact_id)
            record = self.env["smartcall.campaign.contact"].browse(contact_id)
            self.assertEqual((record.state, record.operator_id), ("in_call", self.op1))

        self._run(body)

    # ------------------------------------------------------------------
    # list_pickable_contacts
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        search=st.one_of(any_text, json_values, st.sampled_from(["Man", "0881", "+39", "Foreign"])),
        limit=st.one_of(st.just(50), odd_ids),
        state=st.sampled_from(["none", "ready_manual", "ready_manual", "ready_auto", "paused"]),
        tz=timezones,
    )
    @example(search="\x00", limit=50, state="ready_manual", tz=False)
    @example(search=5, limit=50, state="ready_manual", tz=False)
    @example(search="Man", limit=-3, state="ready_manual", tz=False)
    @example(search="Man", limit="abc", state="ready_manual", tz=False)
    @example(search="Man", limit=2**63, state="ready_manual", tz=False)
    @example(search="Man", limit=float("nan"), state="ready_manual", tz=False)
    @example(search="Foreign", limit=50, state="ready_manual", tz=False)
    def test_list_pickable_contacts(self, search, limit, state, tz):
        def body():
            self._prepare(tz)
            self._setup_state(state)
            result, error = self._call(self.op1, "list_pickable_contacts", search, limit)
            if error:
                return  # refused cleanly (checked by _call)
            self.assertIsInstance(result, list)
            self.assertLessEqual(len(result), 200)
            ids = {row["id"] for row in result}
            # the queued contacts of op1's manual campaign, never a blacklisted one (picking it
            # is refused, see test_pick_contact)
            self.assertLessEqual(
                ids,
                set((self.man_1 | self.man_2).ids),
                "only the due contacts op1 may pick",
            )
            if state not in ("ready_manual", "paused"):
                self.assertFalse(ids, "no manual campaign open: nothing to pick")

        self._run(body)

    # ------------------------------------------------------------------
    # dial
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        contact=ref_or_odd_id("held", "held", "man_held_op2", "auto_3"),
        number=st.one_of(
            st.sampled_from(
                [
                    Ref("held_phone"),
                    Ref("held_phone"),
                    Ref("held_mobile"),
                    Ref("bl_number"),
                ]
            ),
            phone_numbers,
        ),
        state=st.sampled_from(["held", "held", "wrap_up", "held_blacklisted", "ready_manual"]),
    )
    @example(contact=Ref("held"), number=Ref("held_phone"), state="held")
    @example(contact=Ref("held"), number=Ref("held_phone"), state="held_blacklisted")
    @example(contact=Ref("held"), number={"e164": "+39"}, state="held")
    @example(contact="x", number=Ref("held_phone"), state="held")
    def test_dial(self, contact, number, state):
        def body():
            held = self._setup_state(state)
            refs = {
                "held": held.id if held else 0,
                "held_phone": held.phone_e164 if held else "+390881000000",
                "held_mobile": (held.mobile_e164 if held else False) or "+393337000009",
                "bl_number": self.auto_bl.phone_e164,
            }
            contact_id = self._resolve(contact, refs)
            number_value = self._resolve(number, refs)
            result, error = self._call(self.op1, "dial", contact_id, number_value)
            dialable = held._get_dial_numbers() if held else []
            if not self._names_held(held, contact_id) or number_value not in dialable:
                self.assertTrue(error, f"dial({contact_id!r}, {number_value!r}) must be refused")
                return
            self.assertFalse(error, f"dial refused: {error}")
            self.assertIn(result["mode"], ("tel", "pbx"))
            if result["mode"] == "tel":
                self.assertEqual(result["url"], f"tel:{number_value}")

        self._run(body)

    # ------------------------------------------------------------------
    # add_mobile
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        contact=ref_or_odd_id("held", "held", "held", "man_held_op2"),
        number=phone_numbers,
        state=st.sampled_from(["held", "held", "wrap_up", "ready_manual"]),
        tz=timezones,
    )
    @example(contact=Ref("held"), number=3331234567, state="held", tz=False)
    @example(contact=Ref("held"), number=None, state="held", tz=False)
    @example(contact=Ref("held"), number=["+39 333 1234567"], state="held", tz=False)
    @example(contact=Ref("held"), number="+44 20 7946 0958", state="held", tz=False)
    @example(contact=Ref("held"), number="9" * 300, state="held", tz=False)
    @example(contact=Ref("held"), number="abc\x00def", state="held", tz=False)
    @example(contact=Ref("held"), number="+39 333 1234567\x00", state="held", tz=False)
    @example(contact=Ref("man_held_op2"), number="+39 333 1234567", state="held", tz=False)
    def test_add_mobile(self, contact, number, state, tz):
        def body():
            self._prepare(tz)
            held = self._setup_state(state)
            contact_id = self._resolve(contact, {"held": held.id if held else 0})
            result, error = self._call(self.op1, "add_mobile", contact_id, number)
            if not self._names_held(held, contact_id):
                self.assertTrue(error, f"add_mobile({contact_id!r}) must be refused")
                return
            if not isinstance(number, str) or not number.strip():
                self.assertTrue(error, f"add_mobile(.., {number!r}) must be refused")
                return
            if error:
                return  # an invalid number, refused with a message
            self.assertRegex(held.mobile_e164 or "", E164_RE)
            self.assertEqual(result["id"], held.id)
            self.assertIn(held.mobile_e164, [n["e164"] for n in result["numbers"]])

        self._run(body)

    # ------------------------------------------------------------------
    # hangup
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        contact=ref_or_odd_id("held", "held", "man_held_op2", "man_1"),
        state=st.sampled_from(["held", "wrap_up", "ready_manual", "paused", "none"]),
        tz=timezones,
        instant=instants,
    )
    def test_hangup(self, contact, state, tz, instant):
        def body():
            self._prepare(tz, instant)
            held = self._setup_state(state)
            contact_id = self._resolve(contact, {"held": held.id if held else 0})
            result, error = self._call(self.op1, "hangup", contact_id)
            if not self._names_held(held, contact_id):
                self.assertTrue(error, f"hangup({contact_id!r}) must be refused")
                return
            self.assertFalse(error, f"hangup refused: {error}")
            self.assertEqual(result["session"]["state"], "wrap_up")
            self.assertEqual((held.state, held.operator_id), ("in_call", self.op1))

        self._run(body)

    # ------------------------------------------------------------------
    # send_dtmf
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        contact=ref_or_odd_id("held", "held", "man_held_op2"),
        digits=st.one_of(
            st.text(alphabet="0123456789*#", min_size=1, max_size=40),
            st.text(alphabet="0123456789*# \n\tAbc", max_size=40),
            any_text,
            json_values,
        ),
        state=st.sampled_from(["held", "held", "wrap_up", "ready_manual"]),
    )
    @example(contact=Ref("held"), digits=123, state="held")
    @example(contact=Ref("held"), digits=["1"], state="held")
    @example(contact=Ref("held"), digits="12#\n", state="held")
    @example(contact=Ref("held"), digits="١٢٣", state="held")
    def test_send_dtmf(self, contact, digits, state):
        def body():
            held = self._setup_state(state)
            contact_id = self._resolve(contact, {"held": held.id if held else 0})
            result, error = self._call(self.op1, "send_dtmf", contact_id, digits)
            valid = isinstance(digits, str) and DTMF_RE.match(digits.strip() or "-")
            if not self._names_held(held, contact_id) or not valid:
                self.assertTrue(error, f"send_dtmf({contact_id!r}, {digits!r}) must be refused")
                return
            self.assertFalse(error, f"send_dtmf refused: {error}")
            self.assertIn("sent", result)

        self._run(body)

    # ------------------------------------------------------------------
    # heartbeat and logout
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        state=st.sampled_from(
            [
                "none",
                "closed",
                "ready_manual",
                "ready_auto",
                "paused",
                "held",
                "wrap_up",
                "held_paused",
            ]
        ),
        user=users,
        tz=timezones,
        instant=instants,
    )
    def test_heartbeat_and_logout(self, state, user, tz, instant):
        def body():
            self._prepare(tz, instant)
            held = self._setup_state(state)
            attempts = held.attempt_count if held else None
            result, error = self._call(self._user(user), "heartbeat")
            if user == "employee":
                self.assertIsInstance(error, AccessError)
                _result, error = self._call(self.employee, "logout")
                self.assertIsInstance(error, AccessError)
                return
            self.assertFalse(error, f"heartbeat refused: {error}")
            self.assertEqual(result, {"ok": True})
            result, error = self._call(self.op1, "logout")
            self.assertFalse(error, f"logout refused: {error}")
            self.assertEqual(result["session"]["state"], "closed")
            self.assertIsNone(result["contact"])
            self.assertFalse(self._session())
            # no pause asked during a call survives the session
            self.assertFalse(
                self.env["smartcall.operator.session"].search(
                    [("user_id", "=", self.op1.id), ("pending_pause_reason_id", "!=", False)]
                )
            )
            if held:
                # back in the queue, the attempt kept
                self.assertEqual((held.state, held.operator_id.id), ("queued", False))
                self.assertEqual(held.attempt_count, attempts)

        self._run(body)

    # ------------------------------------------------------------------
    # Anyone who is not an operator
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        method=st.sampled_from(
            [
                ("start", 1),
                ("pause", 1),
                ("next_contact", 0),
                ("pick_contact", 1),
                ("list_pickable_contacts", 2),
                ("dial", 2),
                ("add_mobile", 2),
                ("hangup", 1),
                ("send_dtmf", 2),
                ("heartbeat", 0),
                ("logout", 0),
                ("get_console_state", 0),
            ]
        ),
        args=st.lists(
            st.one_of(st.sampled_from([Ref("auto"), Ref("man_1")]), json_values),
            min_size=2,
            max_size=2,
        ),
    )
    def test_non_operator_always_refused(self, method, args):
        def body():
            name, arity = method
            values = [self._resolve(arg) for arg in args[:arity]]
            _result, error = self._call(self.employee, name, *values)
            self.assertIsInstance(error, AccessError, f"{name} as a non-operator")

        self._run(body)

    # ------------------------------------------------------------------
    # The message is in the operator's language
    # ------------------------------------------------------------------
    def test_refusal_in_italian(self):
        """A refusal reaches an Italian operator in Italian (when the Italian translation of
        the message exists; the English source otherwise)."""
        source = "Choose a campaign first."
        console = self._console().with_context(lang="it_IT")
        with self.assertRaises(UserError) as caught:
            console.start("not an id")
        message = self._check_message(caught.exception)
        italian = code_translations.get_python_translations("smartcall_campaign", "it_IT")
        if italian.get(source):
            self.assertEqual(message, italian[source])
        else:
            self.assertEqual(message, source)
        source = "This pause reason is no longer in use: choose another one."
        console.start(self.auto.id)
        with self.assertRaises(UserError) as caught:
            console.pause(self.archived_reason.id)
        message = self._check_message(caught.exception)
        if italian.get(source):
            self.assertEqual(message, italian[source])
