# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

import pytz

from odoo.tests import new_test_user

from odoo.addons.smartcall_outcomes.tests.common import SmartcallOutcomesCommon


class SmartcallAgendaCommon(SmartcallOutcomesCommon):
    """The outcome fixtures (time frozen on Tuesday 2026-03-10 10:00 in Rome) plus two field
    agents serving the province of Foggia (FG) and one serving Bari (BA)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        State = cls.env["res.country.state"]
        cls.foggia = State.search([("country_id", "=", cls.italy.id), ("code", "=", "FG")])
        cls.bari = State.search([("country_id", "=", cls.italy.id), ("code", "=", "BA")])
        agent_values = {"tz": "Europe/Rome", "groups": "smartcall_campaign.group_field_agent"}
        cls.agent_1 = new_test_user(cls.env, "sca_agent_1", name="Agente 1", **agent_values)
        cls.agent_2 = new_test_user(cls.env, "sca_agent_2", name="Agente 2", **agent_values)
        cls.agent_bari = new_test_user(cls.env, "sca_agent_ba", name="Agente Bari", **agent_values)
        (cls.agent_1 | cls.agent_2).smartcall_agent_province_ids = cls.foggia
        cls.agent_bari.smartcall_agent_province_ids = cls.bari
        cls.Event = cls.env["calendar.event"]

    @classmethod
    def _make_contact(cls, name, campaign=None, phone=None, mobile=None, **kw):
        contact = super()._make_contact(name, campaign=campaign, phone=phone, mobile=mobile, **kw)
        contact.partner_id.write(
            {"street": "Via Roma 1", "zip": "71036", "state_id": cls.foggia.id}
        )
        return contact

    @staticmethod
    def _utc(local):
        """'2026-03-11 09:00' in Rome as the naive UTC datetime Odoo stores."""
        value = pytz.timezone("Europe/Rome").localize(datetime.strptime(local, "%Y-%m-%d %H:%M"))
        return value.astimezone(pytz.utc).replace(tzinfo=None)

    def _book(self, user, contact, agent=None, date="2026-03-11", time="09:00", **values):
        return self._console(user).book_appointment(
            contact.id,
            {
                "agent_id": (agent or self.agent_1).id,
                "date": date,
                "time": time,
                "street": "Via Roma 1",
                "zip": "71036",
                "city": "Lucera",
                "province": "FG",
                "channel": "Smartcall",
                "note": "Parlato con il titolare",
                **values,
            },
        )

    def _make_appointment(self, agent, local_start, **values):
        """An appointment booked earlier (outside any call)."""
        return self.Event._create_appointment(
            {
                "name": "Earlier appointment",
                "agent_id": agent.id,
                "start": self._utc(local_start),
                "booking_state": "booked",
                **values,
            }
        )
