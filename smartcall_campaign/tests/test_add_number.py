# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError

from .common import SmartcallCampaignCommon


class TestRichiamaMobile(SmartcallCampaignCommon):
    """ "Richiama mobile (se presente)" (seed 003, 2.3): the number the operator adds goes on the
    customer (res.partner), never overwriting a number the customer has."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls._make_contact("Ferri Srl", phone="0881 700100")
        cls.partner = cls.contact.partner_id
        cls.other_contact = cls.env["smartcall.campaign.contact"].create(
            {
                "campaign_id": cls.other_campaign.id,
                "partner_id": cls.partner.id,
                "state": "queued",
            }
        )

    def _hold(self):
        console = self.env["smartcall.console"].with_user(self.operator_1)
        console.start(self.campaign.id)
        self.assertEqual(self.campaign._get_held_contact(self.operator_1), self.contact)
        return console

    def test_mobile_goes_on_the_customer(self):
        payload = self._hold().add_mobile(self.contact.id, "347 765 4321")
        self.assertEqual(self.partner.mobile, "+393477654321")
        self.assertEqual(self.partner.smartcall_mobile_e164, "+393477654321")
        self.assertIn(
            {"kind": "mobile", "e164": "+393477654321"},
            [{"kind": n["kind"], "e164": n["e164"]} for n in payload["numbers"]],
        )

    def test_mobile_reaches_the_other_campaigns_of_the_customer(self):
        self._hold().add_mobile(self.contact.id, "3477654321")
        self.assertEqual(self.other_contact.mobile_e164, "+393477654321")
        self.assertIn("+393477654321", self.other_contact._get_dial_numbers())

    def test_mobile_survives_the_next_edit_of_the_customer(self):
        self._hold().add_mobile(self.contact.id, "3477654321")
        self.partner.write({"city": "Foggia", "name": "Ferri Srl (renamed)"})
        self.assertEqual(self.contact.mobile_e164, "+393477654321")

    def test_second_fixed_number_does_not_overwrite_the_mobile(self):
        self.partner.mobile = "347 111 2222"
        self._hold().add_mobile(self.contact.id, "0881 700200")
        self.assertEqual(self.partner.mobile, "347 111 2222")
        self.assertEqual(self.partner.phone, "0881 700100")
        other = self.partner.child_ids.filtered(lambda p: p.phone == "+390881700200")
        self.assertEqual(len(other), 1)
        self.assertEqual(
            self.contact._get_dial_numbers(), ["+390881700100", "+393471112222", "+390881700200"]
        )

    def test_second_fixed_number_does_not_take_the_empty_mobile_slot(self):
        self._hold().add_mobile(self.contact.id, "0881 700200")
        self.assertFalse(self.partner.mobile)
        self.assertEqual([kind for kind, _n in self.contact._get_numbers()], ["phone", "other"])

    def test_second_mobile_does_not_overwrite_the_mobile(self):
        self.partner.mobile = "347 111 2222"
        self._hold().add_mobile(self.contact.id, "348 333 4444")
        self.assertEqual(self.partner.mobile, "347 111 2222")
        self.assertIn(("other", "+393483334444"), self.contact._get_numbers())

    def test_fixed_number_fills_an_empty_phone(self):
        self.partner.phone = False
        self.partner.mobile = "347 111 2222"
        self._hold().add_mobile(self.contact.id, "0881 700200")
        self.assertEqual(self.partner.phone, "+390881700200")
        self.assertEqual(self.partner.mobile, "347 111 2222")

    def test_known_number_adds_nothing(self):
        self._hold().add_mobile(self.contact.id, "+39 0881 700100")
        self.assertFalse(self.partner.child_ids)
        self.assertFalse(self.partner.mobile)

    def test_invalid_number_refused_and_nothing_saved(self):
        console = self._hold()
        with self.assertRaisesRegex(ValidationError, "99 is not valid"):
            console.add_mobile(self.contact.id, "99")
        self.assertFalse(self.partner.mobile)
        self.assertFalse(self.partner.child_ids)

    def test_blacklisted_other_number_is_not_dialled(self):
        self.partner.mobile = "347 111 2222"
        self._hold().add_mobile(self.contact.id, "0881 700200")
        self.env["phone.blacklist"]._add(["+390881700200"])
        self.assertNotIn("+390881700200", self.contact._get_dial_numbers())
