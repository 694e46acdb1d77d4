# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bad input on the outcome page's RPC API (issue 9, "Bad input"), with property-based tests.

get_outcome_page, confirm_outcome (outcome, notes, CALLBK callback, cart of a type C outcome,
DNC), stop, list_my_callbacks and call_callback are called as the operator with generated
arguments: wrong JSON types, missing and extra keys, ids of missing records or of another
operator's, dates in the past and far future, malformed dates and times, operator time zones
far from the campaign's (Pacific/Kiritimati, America/Los_Angeles...) at instants around
midnight and the DST changes, huge and unicode notes, negative quantities and prices,
discounts over 100 %, products that do not exist or cannot be sold.

Each call must end in a result that follows the rules (checked against an oracle where the
rule is precise: callbacks, carts) or in a translated UserError / ValidationError /
AccessError / MissingError with a plain message; never another exception. A refused call must
leave every row it could touch exactly as before (it validates before writing); an accepted one
must leave the other operators' rows alone. Each example runs in a savepoint rolled back
afterwards. SMARTCALL_PROPERTY_EXAMPLES=500 explores more, randomly.
"""

import re
from datetime import datetime, time, timedelta

import pytz
from hypothesis import example, given
from hypothesis import strategies as st

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import code_translations

from odoo.addons.smartcall_campaign.tests.rpc_property_common import (
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

MAX_CALLBACK_DAYS = 365
WHEN_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


# ----------------------------------------------------------------------
# Strategies (the shared ones are in smartcall_campaign's rpc_property_common)
# ----------------------------------------------------------------------
outcome_codes = st.sampled_from(
    ["CALLBK", "CBPROS", "DNC", "VEND", "SALEA", "A", "B", "N", "NI", "DC", "archived"]
)
hhmm = st.tuples(st.integers(0, 23), st.integers(0, 59))
callback_times = st.one_of(
    hhmm.map(lambda t: "%02d:%02d" % t),
    hhmm.map(lambda t: "%d:%02d:00" % t),
    st.sampled_from(["24:00", "12:60", "7pm", "", " ", "12", "12:3", "１２:３０", "12:30\n"]),
    json_values,
)
callback_dates = st.one_of(
    st.integers(-3, 3).map(lambda days: ("offset", days)),
    st.integers(MAX_CALLBACK_DAYS - 1, MAX_CALLBACK_DAYS + 2).map(lambda days: ("offset", days)),
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "31/12/2026",
            "2026-3-1",
            "",
            "tomorrow",
            "2026-03-11T10:00:00",
        ]
    ),
    json_values,
)
cart_numbers = st.one_of(
    st.floats(min_value=-10, max_value=200),
    st.integers(-5, 1000),
    st.sampled_from([0, -0.0, 1e7, 1e10, float("nan"), float("inf"), "2", "abc", None, True, [1]]),
)
cart_lines = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "product_id": ref_or_odd_id(
                "product", "product", "product_archived", "product_no_sale"
            ),
            "quantity": cart_numbers,
            "price_unit": cart_numbers,
            "discount": cart_numbers,
            "extra": json_values,
        },
    ),
    json_values,
)
carts = st.one_of(st.lists(cart_lines, min_size=0, max_size=3), json_values)


def confirm_example(values, contact="held", state="wrap_up"):
    """An explicit example of test_confirm_outcome on the fixture `contact`, at NOW in the
    campaign's time zone."""
    return example(contact=Ref(contact), values=values, state=state, tz=False, instant=NOW)


@tagged("post_install", "-at_install", "smartcall_rpc_properties")
class TestOutcomeRpcProperties(RpcPropertyHarness, TransactionCase):
    """Fixtures (time frozen at NOW, moved per example; op1, op2, employee and the campaigns
    auto, manual and foreign come from RpcPropertyHarness):

    auto     automatic, always open, Rome   op1, op2   Auto 1 (with a mobile), Auto 2 queued;
             Auto held op2 (op2 holds it, with a draft call)
    manual   manual, always open, Rome      op1, op2   Man 1 queued, CB op1 (op1's private
             callback), CB op2 (op2's private callback)
    foreign  manual, always open            op2 only   Foreign CB op2 (op2's private callback)
    Products: product (saleable), product_archived, product_no_sale. Outcome "archived" is an
    inactive copy of NI. op1 is the operator under test; employee is not an operator.
    """

    FIXTURE_PREFIX = "rpco"
    CAMPAIGN_VALUES = {"retry_wait_minutes": 60, "max_attempts": 5}
    PARTNER_ADDRESS = {"city": "Lucera"}
    FIRST_PHONE = 650100
    # a DNC outcome adds rows to the blacklist, never changes one
    OTHERS_TABLES = ("sale_order", "sale_order_line", "phone_blacklist")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auto_1 = cls._make_contact("Auto 1", cls.auto, mobile="+39 333 6500001")
        cls.auto_2 = cls._make_contact("Auto 2", cls.auto)
        cls.auto_held_op2 = cls._make_held_by_op2("Auto held op2", cls.auto)
        cls.auto_held_op2._ensure_open_call(cls.op2)
        cls.man_1 = cls._make_contact("Man 1", cls.manual)
        cb_values = {"state": "callback", "next_call_at": datetime(2026, 3, 12, 9, 0)}
        cls.cb_op1 = cls._make_contact(
            "CB op1",
            cls.manual,
            callback_owner_id=cls.op1.id,
            callback_note="mine",
            **cb_values,
        )
        cls.cb_op2 = cls._make_contact(
            "CB op2",
            cls.manual,
            callback_owner_id=cls.op2.id,
            callback_note="op2's",
            **cb_values,
        )
        cls.foreign_cb_op2 = cls._make_contact(
            "Foreign CB op2", cls.foreign, callback_owner_id=cls.op2.id, **cb_values
        )
        cls.outcome = {o.code: o for o in cls.env["smartcall.outcome"].search([])}
        cls.outcome["archived"] = cls.outcome["NI"].copy({"code": "NIOLD", "active": False})
        Product = cls.env["product.product"]
        cls.product = Product.create({"name": "Fibra 1 Gb", "list_price": 39.9, "sale_ok": True})
        cls.product_archived = Product.create(
            {"name": "Old ADSL", "list_price": 19.9, "sale_ok": True, "active": False}
        )
        cls.product_no_sale = Product.create(
            {"name": "Router (internal)", "list_price": 9.9, "sale_ok": False}
        )
        cls.others_contacts = cls.auto_held_op2 | cls.cb_op2 | cls.foreign_cb_op2
        cls.env.flush_all()

    # ------------------------------------------------------------------
    # Harness (the rest is RpcPropertyHarness)
    # ------------------------------------------------------------------
    def _hold(self, state="wrap_up"):
        """op1 starts the automatic campaign (gets Auto 1) and, for wrap_up, hangs up; for
        wrap_up_paused, op1 also pressed Pause during the call (it starts after the outcome)."""
        console = self._console()
        if state == "none":
            return None
        if state == "ready_manual":
            console.start(self.manual.id)
            return None
        if state == "paused":
            console.start(self.manual.id)
            console.pause(self.reason_break.id)
            return None
        contact = console.start(self.auto.id)["contact"]
        self.assertEqual(contact and contact["id"], self.auto_1.id)
        if state in ("wrap_up", "wrap_up_paused"):
            console.hangup(self.auto_1.id)
        if state == "wrap_up_paused":
            console.pause(self.reason_break.id)
        return self.auto_1

    def _check_session_after_wrapup(self, result, state):
        """After the outcome (or STOP) op1 is free: ready or on the next contact, or in Pause
        with no contact when Pause was pressed during the call."""
        session = result["session"]
        self.assertFalse(session["pending_pause_reason_id"])
        if state == "wrap_up_paused":
            self.assertEqual(session["state"], "paused")
            self.assertEqual(session["pause_reason_id"], self.reason_break.id)
            self.assertIsNone(result["contact"], "in Pause no contact is proposed")
        else:
            self.assertIn(session["state"], ("ready", "in_call"))

    def _operator_tz(self):
        return pytz.timezone(self.op1.tz or self.auto.tz or "Europe/Rome")

    def _operator_today(self):
        return pytz.utc.localize(datetime.now()).astimezone(self._operator_tz()).date()

    def _done_call(self, contact):
        return self.env["smartcall.call"].search(
            [("contact_id", "=", contact.id), ("user_id", "=", self.op1.id)],
            order="id desc",
            limit=1,
        )

    # ------------------------------------------------------------------
    # get_outcome_page
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        contact=ref_or_odd_id("held", "held", "auto_held_op2", "cb_op2"),
        state=st.sampled_from(["wrap_up", "in_call", "ready_manual", "none"]),
        tz=timezones,
        instant=instants,
    )
    @example(contact="abc", state="wrap_up", tz=False, instant=NOW)
    @example(contact=None, state="wrap_up", tz=False, instant=NOW)
    @example(contact=2**63, state="wrap_up", tz=False, instant=NOW)
    @example(contact=Ref("held"), state="wrap_up", tz="Pacific/Kiritimati", instant=NOW)
    def test_get_outcome_page(self, contact, state, tz, instant):
        def body():
            self._prepare(tz, instant)
            held = self._hold(state)
            contact_id = self._resolve(contact, {"held": held.id if held else 0})
            result, error = self._call(self.op1, "get_outcome_page", contact_id)
            if not self._names_held(held, contact_id):
                self.assertTrue(error, f"get_outcome_page({contact_id!r}) must be refused")
                return
            self.assertFalse(error, f"get_outcome_page refused: {error}")
            self.assertEqual(result["today"], str(self._operator_today()))
            codes = {value["code"] for value in result["outcomes"]}
            self.assertFalse(codes & {"B", "N", "NIOLD"}, "system-only and archived outcomes")
            self.assertLessEqual(
                {value["id"] for value in result["quick"]},
                {value["id"] for value in result["outcomes"]},
            )
            self.assertNotIn(self.product_archived.id, [p["id"] for p in result["products"]])
            self.assertNotIn(self.product_no_sale.id, [p["id"] for p in result["products"]])

        self._run(body)

    # ------------------------------------------------------------------
    # confirm_outcome: any values
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        contact=ref_or_odd_id("held", "held", "held", "auto_held_op2"),
        values=st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "outcome_id": st.one_of(outcome_codes.map(Ref), odd_ids),
                    "notes": st.one_of(any_text, json_values),
                    "callback": st.one_of(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "private": json_values,
                                "date": st.one_of(st.just(Ref("today")), json_values),
                                "time": callback_times,
                                "note": st.one_of(any_text, json_values),
                                "extra": json_values,
                            },
                        ),
                        json_values,
                    ),
                    "cart": carts,
                    "appointment": json_values,
                    "unexpected": json_values,
                },
            ),
            json_values,
        ),
        state=st.sampled_from(["wrap_up", "wrap_up", "in_call", "ready_manual", "wrap_up_paused"]),
        tz=timezones,
        instant=instants,
    )
    @confirm_example({"outcome_id": Ref("NI"), "notes": "abc\x00def"})
    @confirm_example({"outcome_id": Ref("NI"), "notes": "\ud800"})
    @confirm_example({"outcome_id": 2**63})
    @confirm_example([1, 2])
    @confirm_example({"outcome_id": Ref("NI")}, contact="auto_held_op2")
    @confirm_example({"outcome_id": Ref("DNC"), "notes": "Registro"})
    @confirm_example({"outcome_id": Ref("CALLBK"), "callback": {"date": {"a": 1}, "time": "10:00"}})
    @confirm_example({"outcome_id": Ref("NI")}, state="wrap_up_paused")
    def test_confirm_outcome(self, contact, values, state, tz, instant):
        def body():
            self._prepare(tz, instant)
            held = self._hold(state)
            refs = {
                "held": held.id if held else 0,
                "today": str(self._operator_today()),
            }
            refs.update({code: outcome.id for code, outcome in self.outcome.items()})
            contact_id = self._resolve(contact, refs)
            payload = values
            if isinstance(values, dict):
                payload = {key: self._resolve(value, refs) for key, value in values.items()}
                if isinstance(payload.get("callback"), dict):
                    payload["callback"] = {
                        key: self._resolve(value, refs)
                        for key, value in payload["callback"].items()
                    }
                if isinstance(payload.get("cart"), list):
                    payload["cart"] = [
                        {key: self._resolve(value, refs) for key, value in line.items()}
                        if isinstance(line, dict)
                        else line
                        for line in payload["cart"]
                    ]
            blacklist_before = set(self.env["phone.blacklist"].search([]).mapped("number"))
            result, error = self._call(self.op1, "confirm_outcome", contact_id, payload)
            if not self._names_held(held, contact_id):
                self.assertTrue(error, f"confirm_outcome({contact_id!r}) must be refused")
                return
            if error:
                return  # refused cleanly (checked by _call)
            outcome = self.env["smartcall.outcome"].browse(payload["outcome_id"])
            self.assertTrue(outcome.active)
            self.assertTrue(outcome.allowed_automatic and not outcome.is_system_only_automatic)
            call = self._done_call(held)
            self.assertEqual((call.state, call.outcome_id), ("done", outcome))
            self.assertNotEqual(
                (held.state, held.operator_id),
                ("in_call", self.op1),
                "the contact was let go",
            )
            self.assertNotIn("\x00", call.notes or "")
            if outcome.type == "C":
                self.assertEqual(call.sale_order_id.state, "sale")
            if outcome.effect == "blacklist":
                numbers = set(self.env["phone.blacklist"].search([]).mapped("number"))
                self.assertLessEqual(set(held._get_blacklisted_numbers()), numbers)
                self.assertTrue(numbers - blacklist_before or held.phone_e164 in blacklist_before)
                self.assertEqual(held.state, "excluded")
            self._check_session_after_wrapup(result, state)

        self._run(body)

    # ------------------------------------------------------------------
    # confirm_outcome: CALLBK, public and private, in the operator's time zone
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        private=st.booleans(),
        day=callback_dates,
        at=callback_times,
        note=st.one_of(st.just("call back"), any_text),
        tz=timezones,
        instant=instants,
    )
    @example(private=False, day=("offset", 1), at="10:00", note="", tz=False, instant=NOW)
    @example(private=True, day="0001-01-01", at="00:00", note="", tz=False, instant=NOW)
    @example(
        private=True,
        day="9999-12-31",
        at="23:59",
        note="",
        tz="America/Los_Angeles",
        instant=NOW,
    )
    @example(
        private=False,
        day=("offset", 0),
        at="23:00",
        note="",
        tz="America/Los_Angeles",
        instant=datetime(2026, 3, 10, 22, 0),
    )
    @example(
        private=False,
        day=("offset", 0),
        at="23:30",
        note="",
        tz="Pacific/Kiritimati",
        instant=datetime(2026, 3, 10, 12, 0),
    )
    @example(private=True, day=("offset", 365), at="10:00", note="", tz=False, instant=NOW)
    @example(private=True, day=("offset", 366), at="10:00", note="", tz=False, instant=NOW)
    def test_callback(self, private, day, at, note, tz, instant):
        def body():
            self._prepare(tz, instant)
            held = self._hold("wrap_up")
            now = datetime.now()
            today = self._operator_today()
            date_value = day
            if isinstance(day, tuple):
                date_value = str(today + timedelta(days=day[1]))
            values = {
                "outcome_id": self.outcome["CALLBK"].id,
                "notes": "",
                "callback": {
                    "private": private,
                    "date": date_value,
                    "time": at,
                    "note": note,
                },
            }
            _result, error = self._call(self.op1, "confirm_outcome", held.id, values)
            # the oracle, for the well-formed inputs
            match = isinstance(at, str) and re.fullmatch(r"([0-9]{1,2}):([0-9]{2})(?::00)?", at)
            if match and not (int(match.group(1)) < 24 and int(match.group(2)) < 60):
                match = None
            if not isinstance(day, tuple) or not match:
                if error:
                    return
                # an odd but readable input was accepted: it must still follow the rules
                self.assertTrue(held.next_call_at > now)
                return
            hour, minute = int(match.group(1)), int(match.group(2))
            when_day = today + timedelta(days=day[1])
            local = self._operator_tz().localize(datetime.combine(when_day, time(hour, minute)))
            when = local.astimezone(pytz.utc).replace(tzinfo=None)
            note_ok = isinstance(note, str) and len(note) <= 20000
            # a public callback is served today: within today's working hours of the campaign
            # (open around the clock), in the campaign's time zone, whatever the operator's
            campaign_tz = pytz.timezone(self.auto.tz)
            campaign_day = pytz.utc.localize(now).astimezone(campaign_tz).date()
            campaign_day_end = campaign_tz.localize(
                datetime.combine(campaign_day + timedelta(days=1), time.min)
            )
            within_today = when < campaign_day_end.astimezone(pytz.utc).replace(tzinfo=None)
            valid = (
                (private or within_today)
                and when > now
                and when_day <= today + timedelta(days=MAX_CALLBACK_DAYS)
                and note_ok
            )
            if not valid:
                self.assertTrue(
                    error,
                    f"callback {values['callback']!r:.200} at {now} ({tz}) must be refused",
                )
                if note_ok and not private and not within_today and when > now:
                    self.assertIn("CBPROS", self._check_message(error))
                return
            self.assertFalse(
                error,
                f"callback {values['callback']!r:.200} at {now} ({tz}) refused: {error}",
            )
            self.assertEqual(held.next_call_at, when)
            if private:
                self.assertEqual((held.state, held.callback_owner_id), ("callback", self.op1))
            else:
                self.assertEqual((held.state, held.queue_priority), ("queued", 30))
                self.assertFalse(held.callback_owner_id)

        self._run(body)

    # ------------------------------------------------------------------
    # confirm_outcome: the cart of a type C outcome
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(cart=carts)
    @example(cart=[{"product_id": Ref("product"), "quantity": -1}])
    @example(cart=[{"product_id": Ref("product"), "quantity": 1, "discount": 101}])
    @example(cart=[{"product_id": Ref("product"), "quantity": 1, "price_unit": -5}])
    @example(cart=[{"product_id": Ref("product"), "quantity": float("nan")}])
    @example(cart=[{"product_id": 2**63, "quantity": 1}])
    @example(cart=[{"product_id": Ref("product_archived"), "quantity": 1}])
    @example(
        cart=[
            {
                "product_id": Ref("product"),
                "quantity": 2,
                "price_unit": 30,
                "discount": 10,
            }
        ]
    )
    @example(cart=[{"product_id": Ref("product"), "quantity": 10**400}])
    @example(cart=[{"product_id": Ref("product"), "quantity": "2", "price_unit": None}])
    @example(cart=[])
    def test_cart(self, cart):
        def body():
            self._prepare()
            held = self._hold("wrap_up")
            payload = cart
            if isinstance(cart, list):
                payload = [
                    {key: self._resolve(value) for key, value in line.items()}
                    if isinstance(line, dict)
                    else line
                    for line in cart
                ]
            values = {
                "outcome_id": self.outcome["VEND"].id,
                "notes": "",
                "cart": payload,
            }
            orders_before = self.env["sale.order"].search([])
            _result, error = self._call(self.op1, "confirm_outcome", held.id, values)
            expected = self._expected_cart(payload)
            if expected is None:
                self.assertTrue(error, f"cart {payload!r:.300} must be refused")
                return
            self.assertFalse(error, f"cart {payload!r:.300} refused: {error}")
            order = self.env["sale.order"].search([]) - orders_before
            self.assertEqual(len(order), 1)
            self.assertEqual(order.state, "sale")
            self.assertEqual(order.partner_id, held.partner_id)
            got = [
                (
                    line.product_id.id,
                    line.product_uom_qty,
                    line.price_unit,
                    line.discount,
                )
                for line in order.order_line
            ]
            self.assertEqual(len(got), len(expected))
            for (product, qty, price, discount), line in zip(expected, got, strict=True):
                self.assertEqual(line[0], product)
                self.assertAlmostEqual(line[1], qty, places=2)
                self.assertAlmostEqual(line[2], price, places=2)
                self.assertAlmostEqual(line[3], discount, places=2)

        self._run(body)

    @staticmethod
    def _to_float(value):
        if isinstance(value, bool | int | float | str):
            try:
                return float(value)
            except (ValueError, OverflowError):
                return None
        return None

    def _expected_cart(self, cart):
        """The order lines a cart must give, or None when it must be refused: at least one
        line, each a saleable, active product, quantity > 0, price >= 0, discount 0-100."""
        if not isinstance(cart, list) or not cart or len(cart) > 100:
            return None
        lines = []
        for line in cart:
            if not isinstance(line, dict):
                return None
            product_id = line.get("product_id")
            if product_id != self.product.id or isinstance(product_id, bool):
                return None
            # quantity 1, the list price and no discount when not given
            qty = self._to_float(line.get("quantity", 1))
            price = line.get("price_unit")
            price = self.product.lst_price if price is None else self._to_float(price)
            discount = self._to_float(line.get("discount") or 0.0)
            if qty is None or price is None or discount is None:
                return None  # not numbers
            if not (0 < qty <= 1e6 and 0 <= price <= 1e9 and 0 <= discount <= 100):
                return None
            lines.append((product_id, qty, price, discount))
        return lines

    # ------------------------------------------------------------------
    # confirm_outcome: DNC
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(notes=st.one_of(any_text, st.none()), tz=timezones, instant=instants)
    @example(notes="Registro delle Opposizioni\x00", tz=False, instant=NOW)
    def test_dnc(self, notes, tz, instant):
        """DNC always succeeds on a held contact with numbers: its numbers go to the
        do-not-call list, the contact leaves the campaign, nobody else's rows change."""

        def body():
            self._prepare(tz, instant)
            held = self._hold("wrap_up")
            numbers = {held.phone_e164, held.mobile_e164} - {False}
            values = {"outcome_id": self.outcome["DNC"].id, "notes": notes}
            result, error = self._call(self.op1, "confirm_outcome", held.id, values)
            if isinstance(notes, str) and len(notes) > 20000:
                self.assertTrue(error, "notes over 20000 characters are refused")
                return
            self.assertFalse(error, f"DNC refused: {error}")
            blacklisted = self.env["phone.blacklist"].search(
                [("number", "in", list(numbers)), ("active", "=", True)]
            )
            self.assertEqual(set(blacklisted.mapped("number")), numbers)
            self.assertEqual((held.state, held.operator_id.id), ("excluded", False))
            self.assertNotEqual(result["contact"] and result["contact"]["id"], held.id)

        self._run(body)

    # ------------------------------------------------------------------
    # stop
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(
        contact=ref_or_odd_id("held", "held", "auto_held_op2", "cb_op2"),
        state=st.sampled_from(
            ["wrap_up", "in_call", "ready_manual", "paused", "none", "wrap_up_paused"]
        ),
        tz=timezones,
        instant=instants,
    )
    @example(contact=Ref("auto_held_op2"), state="wrap_up", tz=False, instant=NOW)
    @example(contact=Ref("held"), state="wrap_up_paused", tz=False, instant=NOW)
    @example(contact="1", state="wrap_up", tz=False, instant=NOW)
    def test_stop(self, contact, state, tz, instant):
        def body():
            self._prepare(tz, instant)
            before = {}
            fnames = [
                "state",
                "queue_priority",
                "next_call_at",
                "callback_note",
                "attempt_count",
            ]
            if state in ("wrap_up", "in_call", "wrap_up_paused"):
                before = self.auto_1.read(fnames)[0]
            held = self._hold(state)
            contact_id = self._resolve(contact, {"held": held.id if held else 0})
            result, error = self._call(self.op1, "stop", contact_id)
            if not self._names_held(held, contact_id):
                self.assertTrue(error, f"stop({contact_id!r}) must be refused")
                return
            self.assertFalse(error, f"stop refused: {error}")
            after = held.read(fnames)[0]
            # back in the queue unchanged; the attempt counted by the claim stays
            before["attempt_count"] += 1
            self.assertEqual(after, before)
            self.assertFalse(held.operator_id)
            call = self._done_call(held)
            self.assertEqual(
                (call.state, call.notes, call.outcome_id.id),
                ("abandoned", False, False),
            )
            self._check_session_after_wrapup(result, state)

        self._run(body)

    # ------------------------------------------------------------------
    # list_my_callbacks and call_callback
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(tz=timezones, instant=instants, user=st.sampled_from(["op1", "op1", "employee"]))
    def test_list_my_callbacks(self, tz, instant, user):
        def body():
            self._prepare(tz, instant)
            result, error = self._call(getattr(self, user), "list_my_callbacks")
            if user == "employee":
                self.assertIsInstance(error, AccessError)
                return
            self.assertFalse(error, f"list_my_callbacks refused: {error}")
            self.assertEqual([row["contact_id"] for row in result], self.cb_op1.ids)
            local = pytz.utc.localize(self.cb_op1.next_call_at).astimezone(self._operator_tz())
            self.assertRegex(result[0]["when"], WHEN_RE)
            self.assertEqual(result[0]["when"], local.strftime("%Y-%m-%d %H:%M"))

        self._run(body)

    @PROPERTY_SETTINGS
    @given(
        contact=ref_or_odd_id("cb_op1", "cb_op1", "cb_op2", "foreign_cb_op2", "man_1"),
        state=st.sampled_from(["ready_manual", "ready_manual", "paused", "wrap_up", "none"]),
        tz=timezones,
        instant=instants,
    )
    @example(contact=Ref("cb_op2"), state="ready_manual", tz=False, instant=NOW)
    @example(contact=Ref("foreign_cb_op2"), state="ready_manual", tz=False, instant=NOW)
    @example(contact="abc", state="ready_manual", tz=False, instant=NOW)
    @example(contact=[1], state="ready_manual", tz=False, instant=NOW)
    def test_call_callback(self, contact, state, tz, instant):
        def body():
            self._prepare(tz, instant)
            self._hold(state)
            contact_id = self._resolve(contact)
            result, error = self._call(self.op1, "call_callback", contact_id)
            ok = (
                state in ("ready_manual", "paused")
                and contact_id == self.cb_op1.id
                and not isinstance(contact_id, bool)
            )
            if not ok:
                self.assertTrue(error, f"call_callback({contact_id!r}) in {state} must be refused")
                return
            self.assertFalse(error, f"call_callback refused: {error}")
            self.assertEqual(result["contact"]["id"], self.cb_op1.id)
            self.assertEqual((self.cb_op1.state, self.cb_op1.operator_id), ("in_call", self.op1))

        self._run(body)

    # ------------------------------------------------------------------
    # The message is in the operator's language
    # ------------------------------------------------------------------
    def test_public_callback_refusal_in_italian(self):
        """A public callback for tomorrow is refused with a message that names CBPROS, in
        Italian when the Italian translation exists."""
        held = self._hold("wrap_up")
        values = {
            "outcome_id": self.outcome["CALLBK"].id,
            "callback": {
                "private": False,
                "date": "2026-03-11",
                "time": "10:00",
                "note": "",
            },
        }
        console = self._console().with_context(lang="it_IT")
        with self.assertRaises(UserError) as caught:
            console.confirm_outcome(held.id, values)
        message = self._check_message(caught.exception)
        self.assertIn("CBPROS", message)
        self.assertIn("2026-03-10", message)
        source = (
            "A public callback is for today only (%(today)s). For another day use "
            "CBPROS - Try again later, or tick Private callback if this customer "
            "is important."
        )
        italian = code_translations.get_python_translations("smartcall_outcomes", "it_IT")
        if italian.get(source):
            self.assertEqual(message, italian[source] % {"today": "2026-03-10"})
        self.assertEqual(held.state, "in_call", "nothing was saved")
        self.assertFalse(self._done_call(held).outcome_id)
