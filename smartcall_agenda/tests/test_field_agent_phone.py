# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import struct
import tempfile
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path
from unittest.mock import patch

import pytz

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

SCREENSHOT_MARK = "smartcall-screenshot:"


@tagged("post_install", "-at_install")
class TestFieldAgentPhone(HttpCase):
    """Seed 004, the field agent on the Odoo mobile app: at phone size (390x844, touch) the
    agent sees only their own appointments, opens today's from the list and records a KO with
    its characteristic and the reschedule date in three taps. Screenshots of the list and of
    the outcome dialog go to ``<tmp>/smartcall_field_agent_phone/``."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        agent_values = {
            "tz": "Europe/Rome",
            "lang": "en_US",
            "groups": "smartcall_campaign.group_field_agent",
        }
        cls.agent = new_test_user(
            cls.env,
            "sc_phone_agent",
            password="sc_phone_agent",
            name="Agente Phone",
            **agent_values,
        )
        cls.agent.tour_enabled = False
        colleague = new_test_user(cls.env, "sc_phone_colleague", name="Collega", **agent_values)
        cls.reason = cls.env["smartcall.appointment.characteristic"].create({"name": "Motivo"})
        cls.ko = cls.env["smartcall.appointment.state"].create(
            {
                "name": "KO - rifissare",
                "is_ko": True,
                "is_reschedule": True,
                "mandatory_characteristic_ids": [(6, 0, cls.reason.ids)],
            }
        )
        Partner = cls.env["res.partner"]
        Event = cls.env["calendar.event"]
        rome = pytz.timezone("Europe/Rome")
        today = datetime.now(rome).date()

        def at(day, hour):
            local = rome.localize(datetime.combine(day, time(hour, 0)))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        def appointment(agent, customer, start, **values):
            return Event._create_appointment(
                {
                    "name": f"Appuntamento: {customer.name}",
                    "agent_id": agent.id,
                    "customer_id": customer.id,
                    "start": start,
                    "location": f"{customer.street}, {customer.zip} {customer.city}",
                    "booking_state": "booked",
                    **values,
                }
            )

        def customer(name, phone):
            return Partner.create(
                {
                    "name": name,
                    "street": "Via Roma 1",
                    "zip": "71036",
                    "city": "Lucera",
                    "mobile": phone,
                    "country_id": cls.env.ref("base.it").id,
                }
            )

        cls.today_event = appointment(
            cls.agent, customer("Bar Sport Lucera", "+39 333 1234567"), at(today, 10)
        )
        appointment(cls.agent, customer("Ferramenta Rossi", "+39 333 7654321"), at(today, 16))
        appointment(
            cls.agent,
            customer("Pizzeria Da Mario", "+39 333 1112223"),
            at(today + timedelta(days=1), 11),
        )
        appointment(colleague, customer("Cliente Collega", "+39 333 9998887"), at(today, 10))
        cls.shots_dir = Path(tempfile.gettempdir()) / "smartcall_field_agent_phone"

    @contextmanager
    def _screenshots(self):
        """Screenshots on the tour's request: a step logs ``smartcall-screenshot:<name>``
        and the page is captured (Chrome DevTools Page.captureScreenshot) into shots_dir."""
        self.shots_dir.mkdir(parents=True, exist_ok=True)
        shots = {}
        handle_console = ChromeBrowser._handle_console

        def capture(browser, type, args=None, **kw):  # pylint: disable=redefined-builtin
            if args and str(args[0].get("value", "")).startswith(SCREENSHOT_MARK):
                name = args[0]["value"][len(SCREENSHOT_MARK) :]
                future = browser._websocket_send(
                    "Page.captureScreenshot", params={"format": "png"}, with_future=True
                )

                def save(done, name=name):
                    path = self.shots_dir / f"{name}.png"
                    path.write_bytes(base64.b64decode(done.result()["data"]))
                    shots[name] = path

                future.add_done_callback(save)
            return handle_console(browser, type, args=args, **kw)

        with patch.object(ChromeBrowser, "_handle_console", capture):
            yield shots

    @staticmethod
    def _png_size(path):
        with open(path, "rb") as png:
            header = png.read(24)
        return struct.unpack(">II", header[16:24])

    def test_agent_records_a_ko_with_reschedule_date_on_the_phone(self):
        with self._screenshots() as shots:
            self.start_tour(
                "/odoo/action-smartcall_agenda.smartcall_my_appointment_action",
                "smartcall_field_agent_phone_tour",
                login="sc_phone_agent",
                timeout=120,
            )
        event = self.today_event
        event.invalidate_recordset()
        self.assertEqual(event.bo_state_id, self.ko)
        self.assertEqual(event.answer_ids.characteristic_id, self.reason)
        self.assertEqual(event.answer_ids.value, "Cliente fuori sede")
        # typed as 15:00 three days ahead, read in the browser's time zone
        now = fields.Datetime.now()
        self.assertTrue(
            now + timedelta(days=2) < event.reschedule_date < now + timedelta(days=4),
            event.reschedule_date,
        )
        self.assertEqual(event.reschedule_date.minute, 0)
        self.assertEqual(set(shots), {"list", "outcome", "after"})
        for path in shots.values():
            width, _height = self._png_size(path)
            self.assertEqual(width, 390, f"{path} is not phone-sized")
