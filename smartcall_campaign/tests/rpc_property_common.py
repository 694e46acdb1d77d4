# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the property-based tests of the console's RPC API share (issue 9, "Bad input").

The hypothesis settings, the strategies of hostile JSON input and RpcPropertyHarness, the
mixin that calls a console method as the operator like the RPC layer does: the call must end
in a JSON-able result or in a translated UserError / ValidationError / AccessError /
MissingError with a plain message, never another exception; a refused call must leave every
row it could touch exactly as before, an accepted one the other operators' rows.

Used by test_console_rpc_properties (smartcall_campaign) and test_outcome_rpc_properties
(smartcall_outcomes).
"""

import json
import operator
import os
import traceback
from contextlib import closing
from datetime import datetime

from freezegun import freeze_time
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools import SQL

from .common import always_open

ALLOWED_ERRORS = (UserError, ValidationError, AccessError, MissingError)
NOW = datetime(2026, 3, 10, 9, 0, 0)  # a Tuesday, 10:00 in Rome

# SMARTCALL_PROPERTY_EXAMPLES=500 explores more (and randomly); by default the run is short and
# repeatable (derandomized).
EXAMPLES = int(os.environ.get("SMARTCALL_PROPERTY_EXAMPLES") or 0)
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES or 20,
    deadline=None,
    derandomize=not EXAMPLES,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Rows a console call may touch, per table; a refused call must leave all of them unchanged.
SNAPSHOT_TABLES = (
    ("smartcall.campaign.contact", "smartcall_campaign_contact"),
    ("smartcall.operator.session", "smartcall_operator_session"),
    ("smartcall.operator.session.interval", "smartcall_operator_session_interval"),
    ("phone.blacklist", "phone_blacklist"),
    ("smartcall.call", "smartcall_call"),
    ("sale.order", "sale_order"),
    ("sale.order.line", "sale_order_line"),
    ("res.partner", "res_partner"),
)


class Ref(str):
    """A fixture named in a strategy (strategies are built at import, before the fixtures):
    the test resolves it to the record's id, or to a value it computes (see _resolve)."""


# ----------------------------------------------------------------------
# Strategies
# ----------------------------------------------------------------------
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),  # NaN and Infinity too: Odoo's JSON-RPC decoder accepts them
    st.text(max_size=20),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
huge_text = st.builds(
    operator.mul,
    st.text(min_size=1, max_size=4),
    st.integers(min_value=2000, max_value=12000),
)
special_text = st.sampled_from(
    [
        "",
        " ",
        "   ",
        "\x00",
        "abc\x00def",
        "note\x00with nul",
        "%",
        "_",
        "\\",
        "'; DROP TABLE smartcall_campaign_contact; --",
        "'; DROP TABLE sale_order; --",
        "<script>alert(1)</script>",
        "{{name}}",
        "\u202eevil",
        "Città d'Àosta – “virgolette”",
        "Città d'Àosta – “virgolette” 🙂",
        "日本語のテキスト",
        "🙂" * 50,
        "\ud800",
        "\ud800 lone surrogate",
        "x" * 20001,
    ]
)
any_text = st.one_of(st.text(max_size=40), huge_text, special_text)
odd_ids = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63),
    st.sampled_from(
        [
            0,
            -1,
            2**31 - 1,
            2**31,
            2**63,
            "1",
            "abc",
            " 7 ",
            "",
            "0x10",
            "1e3",
            "١٢",
            "²",
        ]
    ),
    json_values,
)


def ref_or_odd_id(*names):
    """One of the fixtures `names` (repeat a name to draw it more often) or a junk id."""
    return st.one_of(st.sampled_from([Ref(name) for name in names]), odd_ids)


timezones = st.sampled_from(
    [
        "Europe/Rome",
        "Pacific/Kiritimati",
        "America/Los_Angeles",
        "Pacific/Pago_Pago",
        "Asia/Kathmandu",
        False,
    ]
)
instants = st.one_of(
    st.sampled_from(
        [
            NOW,
            datetime(2026, 3, 10, 22, 30),  # 23:30 in Rome, 14:30 in Los Angeles
            datetime(2026, 3, 10, 23, 30),  # 00:30 of the 11th in Rome
            datetime(2026, 3, 10, 10, 30),  # 00:30 of the 11th in Kiritimati
            datetime(2026, 3, 11, 7, 30),  # 23:30 of the 10th in Los Angeles
            datetime(2026, 3, 29, 0, 59),  # Rome moves to summer time at 01:00 UTC
            datetime(2026, 10, 25, 0, 59),  # Rome back to winter time
            datetime(2026, 3, 8, 9, 59),  # Los Angeles moves to summer time at 10:00 UTC
            datetime(2026, 12, 31, 22, 59),  # new year's eve in Rome
            datetime(2026, 3, 14, 12, 0),  # Saturday
            datetime(2026, 3, 15, 12, 0),  # Sunday
        ]
    ),
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
)


class RpcPropertyHarness:
    """Mixin of a TransactionCase whose tests call the console's RPC methods as an operator.

    Fixtures (time frozen at NOW, moved per example by _prepare): op1, the operator under
    test, and op2, operators in Europe/Rome; employee, an internal user who is no operator;
    the campaigns auto (automatic) and manual (manual) of op1 and op2, and foreign (manual) of
    op2 only, running and always open in Rome. The test class sets `others_contacts`, the
    contacts no call of op1 may ever change.
    """

    # names the fixtures' logins (sc_<prefix>_op1) and campaigns (<PREFIX> Auto)
    FIXTURE_PREFIX = "rpc"
    # more values of every campaign _make_campaign creates
    CAMPAIGN_VALUES = {}
    # the address of the partners _make_contact creates, and the first of their phone numbers
    PARTNER_ADDRESS = {"city": "Lucera"}
    FIRST_PHONE = 540100
    # tables whose every row belongs to somebody else than op1 (see _is_others)
    OTHERS_TABLES = ("sale_order", "sale_order_line")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._freezer = freeze_time(NOW, ignore=["hypothesis", "logging"])
        cls.clock = cls._freezer.start()
        cls.addClassCleanup(cls._freezer.stop)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["res.lang"]._activate_lang("it_IT")
        cls.env["ir.config_parameter"].sudo().set_param("smartcall_campaign.default_region", "IT")
        cls.italy = cls.env.ref("base.it")
        prefix = cls.FIXTURE_PREFIX
        cls.op1 = new_test_user(
            cls.env,
            f"sc_{prefix}_op1",
            groups="smartcall_campaign.group_operator",
            tz="Europe/Rome",
        )
        cls.op2 = new_test_user(
            cls.env,
            f"sc_{prefix}_op2",
            groups="smartcall_campaign.group_operator",
            tz="Europe/Rome",
        )
        cls.employee = new_test_user(cls.env, f"sc_{prefix}_employee", groups="base.group_user")
        cls.reason_break = cls.env.ref("smartcall_campaign.pause_reason_break")
        cls.auto = cls._make_campaign("Auto", "automatic", cls.op1 | cls.op2)
        cls.manual = cls._make_campaign("Manual", "manual", cls.op1 | cls.op2)
        cls.foreign = cls._make_campaign("Foreign", "manual", cls.op2)
        (cls.auto | cls.manual | cls.foreign).action_start()
        cls._phone_seq = cls.FIRST_PHONE

    @classmethod
    def _make_campaign(cls, name, mode, operators, **values):
        """A campaign of `operators`, always open in Rome unless `values` say otherwise; not
        started yet."""
        return cls.env["smartcall.campaign"].create(
            {
                **always_open(cls.env),
                "tz": "Europe/Rome",
                **cls.CAMPAIGN_VALUES,
                "name": f"{cls.FIXTURE_PREFIX.upper()} {name}",
                "mode": mode,
                "operator_ids": [(6, 0, operators.ids)],
                **values,
            }
        )

    @classmethod
    def _make_contact(cls, name, campaign, mobile=None, **values):
        cls._phone_seq += 1
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "phone": f"0881 {cls._phone_seq}",
                "mobile": mobile or False,
                "country_id": cls.italy.id,
                **cls.PARTNER_ADDRESS,
            }
        )
        return cls.env["smartcall.campaign.contact"].create(
            {
                "campaign_id": campaign.id,
                "partner_id": partner.id,
                "state": "queued",
                **values,
            }
        )

    @classmethod
    def _make_held_by_op2(cls, name, campaign):
        """A contact op2 is calling, with op2's session in call on it."""
        contact = cls._make_contact(
            name, campaign, state="in_call", operator_id=cls.op2.id, claimed_at=NOW
        )
        session_op2 = cls.env["smartcall.operator.session"]._get_or_open(cls.op2)
        session_op2.write({"campaign_id": campaign.id, "current_contact_id": contact.id})
        session_op2._set_state("in_call")
        return contact

    def setUp(self):
        super().setUp()
        self.clock.move_to(NOW)

    def _user(self, name):
        return getattr(self, name)

    def _user_name(self, user):
        return (user or self.op1).login

    def _console(self, user=None):
        return self.env["smartcall.console"].with_user(user or self.op1)

    def _session(self):
        """op1's open session."""
        return self.env["smartcall.operator.session"].search(
            [("user_id", "=", self.op1.id), ("state", "!=", "closed")]
        )

    def _resolve(self, value, extra=None):
        """A Ref's value in `extra`, else the id of the fixture it names; any other value as is."""
        if isinstance(value, Ref):
            if extra and value in extra:
                return extra[value]
            return self._user(value).id
        return value

    def _names_held(self, held, contact_id):
        """Whether `contact_id` names `held`, the contact op1 holds (a bool never does, though
        True == 1)."""
        return bool(held) and contact_id == held.id and not isinstance(contact_id, bool)

    def _prepare(self, tz=False, instant=NOW):
        """Per example: op1's time zone and the frozen clock."""
        self.clock.move_to(instant)
        self.op1.sudo().tz = tz

    def _snapshot(self):
        """Every row a console call could touch, by (table, id)."""
        self.env.flush_all()
        rows = {}
        for model, table in SNAPSHOT_TABLES:
            if model not in self.env:
                continue
            self.env.cr.execute(SQL("SELECT * FROM %s", SQL.identifier(table)))
            for row in self.env.cr.dictfetchall():
                rows[(table, row["id"])] = row
        return rows

    def _is_others(self, table, row):
        """Rows that belong to somebody else than op1 (or to nobody): op1's calls never
        change them, accepted or not."""
        if table == "smartcall_campaign_contact":
            return row["id"] in self.others_contacts.ids
        if table == "res_partner":
            return row["id"] in self.others_contacts.partner_id.ids
        if table in (
            "smartcall_operator_session",
            "smartcall_operator_session_interval",
            "smartcall_call",
        ):
            return row["user_id"] != self.op1.id
        return table in self.OTHERS_TABLES

    def _check_message(self, error):
        message = error.args[0] if error.args else ""
        self.assertIsInstance(message, str, f"{type(error).__name__} without a text message")
        self.assertTrue(message.strip(), f"{type(error).__name__} with an empty message")
        self.assertNotIn("Traceback", message)
        self.assertNotIn("psycopg2", message)
        return message

    def _call(self, user, method, *args, **kwargs):
        """Call `method` as `user` like the RPC layer does. Returns (result, error): error is
        the allowed, translated exception of a refused call, checked to have changed nothing;
        any other exception fails the test with its traceback. An accepted call must return
        what the RPC layer can send and leave the other operators' rows alone."""
        call = f"{method}{args!r:.300}"
        before = self._snapshot()
        try:
            result = getattr(self._console(user), method)(*args, **kwargs)
        except ALLOWED_ERRORS as error:
            self._check_message(error)
            try:
                after = self._snapshot()
            except Exception:  # noqa: BLE001 - pending writes of the refused call
                self.fail(
                    f"{call} was refused ({error}) but left pending writes:\n"
                    f"{traceback.format_exc()}"
                )
            changed = sorted(
                key for key in set(before) | set(after) if before.get(key) != after.get(key)
            )
            self.assertFalse(
                changed, f"{call} was refused ({error}) but changed rows {changed[:10]}"
            )
            return None, error
        except Exception:  # noqa: BLE001 - any other exception is the bug under test
            self.fail(
                f"{call} as {self._user_name(user)} raised instead of a UserError:\n"
                f"{traceback.format_exc()}"
            )
        try:
            json.dumps(result)
        except (TypeError, ValueError) as error:
            self.fail(f"{call} returned something the RPC layer cannot send: {error}")
        after = self._snapshot()
        changed = sorted(
            key
            for key, row in before.items()
            if self._is_others(key[0], row) and after.get(key) != row
        )
        self.assertFalse(changed, f"{call} changed other operators' rows {changed[:10]}")
        return result, None

    def _run(self, body):
        """Run one example in a savepoint that is always rolled back."""
        with closing(self.env.cr.savepoint()):
            body()
        self.env.invalidate_all()
