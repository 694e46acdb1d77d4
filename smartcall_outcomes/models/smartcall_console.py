# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.smartcall_campaign.models.smartcall_operator_session import HELD_STATES
from odoo.addons.smartcall_campaign.tools import get_timezone

NOTES_HISTORY_LIMIT = 20
PRODUCTS_LIMIT = 200


class SmartcallConsole(models.AbstractModel):
    """The outcome page of the console (seed 003, 3) and the private callbacks list."""

    _inherit = "smartcall.console"

    @api.model
    def _get_features(self):
        return dict(super()._get_features(), outcomes=True)

    @api.model
    def _get_contact_payload(self, contact):
        payload = super()._get_contact_payload(contact)
        if not payload:
            return payload
        outcome = contact.last_outcome_id
        payload["last_outcome"] = (
            {"code": outcome.code, "name": outcome.name, "color": outcome.color}
            if outcome
            else None
        )
        # sudo: the history of the contact the operator holds, other operators' notes included
        calls = (
            self.env["smartcall.call"]
            .sudo()
            .search(
                [("contact_id", "=", contact.id), ("state", "=", "done")],
                order="ended_at desc, id desc",
                limit=NOTES_HISTORY_LIMIT,
            )
        )
        payload["notes_history"] = [
            {
                "date": self._format_local_datetime(call.ended_at or call.started_at),
                "operator": call.user_id.name or "",
                "outcome": call.outcome_id.display_name or "",
                "color": call.outcome_id.color or "",
                "notes": call.notes or "",
            }
            for call in calls
        ]
        return payload

    @api.model
    def _format_local_datetime(self, value):
        """A UTC datetime in the operator's time zone, as they read it: 23/11/2026 10:23."""
        if not value:
            return ""
        return fields.Datetime.context_timestamp(self, value).strftime("%d/%m/%Y %H:%M")

    @api.model
    def _get_operator_today(self, contact=None):
        tz = get_timezone(self.env.user.tz, contact and contact.campaign_id.tz)
        return pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()

    @api.model
    def get_outcome_page(self, contact_id):
        """The outcome page (seed 003, 3): the outcomes allowed in the campaign's mode, quick
        buttons first, today in the operator's time zone and the products of the cart."""
        contact = self._get_held_contact(contact_id)
        Outcome = self.env["smartcall.outcome"]
        outcomes = Outcome.search(Outcome._get_campaign_domain(contact.campaign_id))
        values = outcomes._get_page_values()
        products = self.env["product.product"].search(
            [("sale_ok", "=", True)], limit=PRODUCTS_LIMIT, order="name, id"
        )
        return {
            "contact": self._get_contact_payload(contact),
            "outcomes": values,
            "quick": [value for value in values if value["is_quick"]],
            "today": fields.Date.to_string(self._get_operator_today(contact)),
            "products": [
                {
                    "id": product.id,
                    "name": product.display_name,
                    "price": product.lst_price,
                }
                for product in products
            ],
        }

    @api.model
    def confirm_outcome(self, contact_id, values):
        """CONFERMA ESITO: one transaction (see `_confirm_outcome`); in an automatic campaign
        the next contact is claimed right away, unless the operator asked for a pause during
        the call (the session is then paused, not ready)."""
        contact = self._get_held_contact(contact_id)
        campaign = contact.campaign_id
        contact._confirm_outcome(values)
        session = self._get_session()
        if (
            campaign.mode == "automatic"
            and campaign.state == "running"
            and session.state == "ready"
            and session.campaign_id == campaign
        ):
            self._hold_contact(session, campaign._claim_next_contact(self.env.user))
        return self._get_console_state()

    @api.model
    def stop(self, contact_id):
        """STOP / CHIUDI: everything of the wrap-up is discarded (see `_stop_wrapup`)."""
        contact = self._get_held_contact(contact_id)
        contact._stop_wrapup()
        return self._get_console_state()

    @api.model
    def list_my_callbacks(self):
        """My callbacks (seed 003, 5 "Come gestire i richiami privati"): only mine."""
        self._check_operator()
        contacts = self.env["smartcall.campaign.contact"]._get_my_callbacks()
        tz = get_timezone(self.env.user.tz)
        return [
            {
                "contact_id": contact.id,
                "name": contact.partner_id.name or "",
                "when": contact.next_call_at
                and pytz.utc.localize(contact.next_call_at)
                .astimezone(tz)
                .strftime("%Y-%m-%d %H:%M"),
                "note": contact.callback_note or "",
                "campaign": contact.campaign_id.name,
            }
            for contact in contacts
        ]

    @api.model
    def call_callback(self, contact_id):
        """The owner calls one of their private callbacks (never proposed automatically)."""
        self._check_operator()
        session = self._get_session_or_raise()
        if session.state in HELD_STATES:
            raise UserError(self.env._("Finish the current call first."))
        Contact = self.env["smartcall.campaign.contact"]
        contact = Contact.browse(self._positive_int(contact_id)).exists()
        # sudo only to tell "not yours" from "gone"; the claim below runs as the operator
        if (
            not contact
            or contact.sudo().callback_owner_id != self.env.user
            or contact.sudo().state != "callback"
        ):
            raise UserError(
                self.env._(
                    "This is not one of your private callbacks (any more): reload My callbacks."
                )
            )
        campaign = contact.campaign_id
        if session.campaign_id != campaign:
            session.write({"campaign_id": campaign.id})
        self._hold_contact(session, campaign._claim_contact(contact, self.env.user))
        return self._get_console_state()

    @api.model
    def dial(self, contact_id, number):
        """The number dialled is kept on the call attempt."""
        result = super().dial(contact_id, number)
        contact = self._get_held_contact(contact_id)
        call = contact._get_open_call()
        if call and call.number != number:
            call.number = number
        return result
