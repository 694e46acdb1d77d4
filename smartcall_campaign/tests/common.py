# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from psycopg2 import errors as pg_errors

from odoo.tests import TransactionCase, new_test_user


def always_open(env):
    """Campaign values: open at any hour of any day, public holidays included."""
    return {"resource_calendar_id": env.ref("smartcall_campaign.resource_calendar_always_open").id}


def working_hours(env, name, hour_from, hour_to, weekdays, holidays=()):
    """A working-hours calendar (campaign time zone: Europe/Rome): `hour_from`-`hour_to` on
    `weekdays` (Monday=0), closed on the dates of `holidays`."""
    calendar = env["resource.calendar"].create(
        {
            "name": name,
            "company_id": False,
            "tz": "Europe/Rome",
            "attendance_ids": [(5, 0, 0)]
            + [
                (
                    0,
                    0,
                    {
                        "name": str(day),
                        "dayofweek": str(day),
                        "hour_from": hour_from,
                        "hour_to": hour_to,
                        "day_period": "morning",
                    },
                )
                for day in weekdays
            ],
        }
    )
    for holiday in holidays:
        env["resource.calendar.leaves"].create(
            {
                "name": f"Holiday {holiday}",
                "calendar_id": calendar.id,
                "date_from": f"{holiday} 00:00:00",
                "date_to": f"{holiday} 23:59:59",
            }
        )
    return calendar


# The contacts were checked against the Registro delle Opposizioni today: the work plan
# may be built (test_registro.py tests the rule itself).
REGISTRO_CHECKED = {"registro_checked_on": date.today()}
# The errors of a race on real connections that Odoo's RPC layer retries.
RETRYABLE = (pg_errors.SerializationFailure, pg_errors.LockNotAvailable, pg_errors.DeadlockDetected)


def new_tour_operator(env, login):
    """An operator for a browser tour: logs in with `login` as password, reads English (the
    tours' steps read English labels: a database created in Italian has English inactive),
    works in Europe/Rome and is not shown Odoo's onboarding tours."""
    env["res.lang"]._activate_lang("en_US")
    operator = new_test_user(
        env,
        login,
        password=login,
        groups="smartcall_campaign.group_operator",
        tz="Europe/Rome",
        lang="en_US",
    )
    operator.tour_enabled = False
    return operator


def create_race_fixture(env, name, tag, n_operators, **user_values):
    """For the tests that race on real connections: `n_operators` operators and a running,
    always open campaign of theirs, named after `name` and the run's `tag`. The caller commits
    them and removes them afterwards. Returns (operators, campaign)."""
    group = env.ref("smartcall_campaign.group_operator")
    operators = env["res.users"].create(
        [
            {
                "name": f"{name} operator {i}",
                "login": f"sc_{name.lower()}_{tag}_{i}",
                "groups_id": [(6, 0, group.ids)],
                **user_values,
            }
            for i in range(n_operators)
        ]
    )
    campaign = env["smartcall.campaign"].create(
        {
            "name": f"{name} {tag}",
            "operator_ids": [(6, 0, operators.ids)],
            "state": "running",
            **always_open(env),
            **REGISTRO_CHECKED,
        }
    )
    return operators, campaign


class SmartcallCampaignCommon(TransactionCase):
    """Fixtures shared by the campaign tests.

    campaign (running, automatic, always open)   operators: operator_1, operator_2
    other_campaign (running)                      operators: operator_2
    supervisor, manager: see everything; field_agent: nothing of campaigns.
    Contacts are made per test with _make_contact().
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.italy = cls.env.ref("base.it")
        State = cls.env["res.country.state"]
        cls.province_fg = State.search([("country_id", "=", cls.italy.id), ("code", "=", "FG")])
        cls.province_ba = State.search([("country_id", "=", cls.italy.id), ("code", "=", "BA")])
        cls.env["ir.config_parameter"].sudo().set_param("smartcall_campaign.default_region", "IT")
        cls.operator_1 = new_test_user(
            cls.env, "sc_operator_1", groups="smartcall_campaign.group_operator"
        )
        cls.operator_2 = new_test_user(
            cls.env, "sc_operator_2", groups="smartcall_campaign.group_operator"
        )
        cls.supervisor = new_test_user(
            cls.env, "sc_supervisor", groups="smartcall_campaign.group_supervisor"
        )
        cls.manager = new_test_user(
            cls.env, "sc_manager", groups="smartcall_campaign.group_manager"
        )
        cls.field_agent = new_test_user(
            cls.env, "sc_field_agent", groups="smartcall_campaign.group_field_agent"
        )
        cls.campaign = cls.env["smartcall.campaign"].create(
            {
                "name": "Business fibre Foggia",
                "mode": "automatic",
                "operator_ids": [(6, 0, (cls.operator_1 | cls.operator_2).ids)],
                **always_open(cls.env),
                **REGISTRO_CHECKED,
                "retry_wait_minutes": 60,
                "max_attempts": 3,
                "script_html": "<p>Good morning {{name}} from {{city}}, I am {{operator}}</p>",
            }
        )
        cls.campaign.action_start()
        cls.other_campaign = cls.env["smartcall.campaign"].create(
            {
                "name": "Bari",
                "operator_ids": [(6, 0, cls.operator_2.ids)],
                **always_open(cls.env),
                **REGISTRO_CHECKED,
            }
        )
        cls.other_campaign.action_start()
        cls._phone_seq = 100000

    @classmethod
    def _next_phone(cls):
        cls._phone_seq += 1
        return f"0881 {cls._phone_seq}"

    @classmethod
    def _make_partner(cls, name, phone=None, mobile=None, city="Lucera", province=None, **kw):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "phone": phone if phone is not None else cls._next_phone(),
                "mobile": mobile or False,
                "city": city,
                "state_id": (province or cls.province_fg).id,
                "country_id": cls.italy.id,
                **kw,
            }
        )

    @classmethod
    def _make_contact(cls, name, campaign=None, state="queued", priority=10, **kw):
        partner_kw = {
            key: kw.pop(key) for key in ("phone", "mobile", "city", "province") if key in kw
        }
        partner = cls._make_partner(name, **partner_kw)
        return cls.env["smartcall.campaign.contact"].create(
            {
                "campaign_id": (campaign or cls.campaign).id,
                "partner_id": partner.id,
                "state": state,
                "queue_priority": priority,
                **kw,
            }
        )
