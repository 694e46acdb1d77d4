# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from odoo.addons.smartcall_campaign.tools import get_timezone, storable_text

from .smartcall_outcome import TYPE_WORKFLOW_STEPS

MAX_NOTES_LENGTH = 20000
MAX_CART_LINES = 100
MAX_CALLBACK_DAYS = 365
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$")
DNC_MESSAGE = "Registro delle Opposizioni"


class SmartcallCampaignContact(models.Model):
    _inherit = "smartcall.campaign.contact"

    last_outcome_id = fields.Many2one("smartcall.outcome", copy=False, index="btree_not_null")
    last_outcome_color = fields.Char(related="last_outcome_id.color")
    call_ids = fields.One2many("smartcall.call", "contact_id", string="Calls")
    call_count = fields.Integer(compute="_compute_call_count")

    def _compute_call_count(self):
        counts = dict(
            self.env["smartcall.call"]._read_group(
                [("contact_id", "in", self.ids)], ["contact_id"], ["__count"]
            )
        )
        for contact in self:
            contact.call_count = counts.get(contact, 0)

    # ------------------------------------------------------------------
    # Call attempts
    # ------------------------------------------------------------------
    def _get_open_call(self, user=None):
        self.ensure_one()
        user = user or self.env.user
        return (
            self.env["smartcall.call"]
            .sudo()
            .search(
                [
                    ("contact_id", "=", self.id),
                    ("user_id", "=", user.id),
                    ("state", "=", "draft"),
                ],
                order="id desc",
                limit=1,
            )
        )

    def _ensure_open_call(self, user):
        """The draft call of the attempt `user` is making on these contacts (one per claim)."""
        Call = self.env["smartcall.call"]
        calls = Call.sudo()
        for contact in self:
            call = contact._get_open_call(user)
            if not call:
                call = Call._open_for_contact(contact, user)
            calls |= call
        return calls

    def _release_to_queue(self, priority=None, next_call_at=None):
        """A contact given back without an outcome (stale operator, logout) keeps the
        holder's attempt in the history as abandoned; left in draft it would stay "in
        progress" forever and be reused by the holder's next claim of the contact."""
        for contact in self.filtered("operator_id"):
            contact._get_open_call(contact.operator_id)._abandon()
        return super()._release_to_queue(priority=priority, next_call_at=next_call_at)

    def _check_held_by(self, user):
        """The wrap-up belongs to the operator holding the contact."""
        self.ensure_one()
        if self.state != "in_call" or self.operator_id != user:
            raise UserError(
                self.env._(
                    "You are not holding %(contact)s any more (it was released or taken by "
                    "someone else): nothing was saved. Go back to the console.",
                    contact=self.partner_id.display_name,
                )
            )

    # ------------------------------------------------------------------
    # The wrap-up: CONFERMA ESITO and STOP/CHIUDI (seed 001)
    # ------------------------------------------------------------------
    def _confirm_outcome(self, values):
        """CONFERMA ESITO (seed 001, "Esitazione contatto"): notes, callback, order and
        appointment are saved together, or nothing is. Everything is validated first, then
        written in this one transaction: any error raised below rolls the whole RPC back.
        Returns the closed call."""
        self.ensure_one()
        plan = self._wrapup_validate(values)
        call = self._wrapup_close_call(plan)
        self._wrapup_apply_effect(plan, call)
        if plan["outcome"].type == "T":
            self._wrapup_register_appointment(values, call=call)
        if plan["outcome"].type == "C":
            self._wrapup_create_sale_order(plan, call)
        self._wrapup_update_session(plan["outcome"])
        return call

    def _stop_wrapup(self):
        """STOP / CHIUDI (seed 001): "tutta l'attività svolta (note, appuntamento, ordini)
        NON VIENE SALVATA": the contact goes back to the queue as it was, the attempt stays in
        the history as abandoned, without notes."""
        self.ensure_one()
        user = self.env.user
        self._check_held_by(user)
        self._ensure_open_call(user)._abandon()
        self._release_to_queue()
        self._wrapup_update_session(None)
        return True

    # Validation ---------------------------------------------------------
    def _wrapup_validate(self, values):
        """Check every input of the outcome page before anything is written; returns the
        normalised plan (outcome, notes, callback, cart)."""
        self.ensure_one()
        user = self.env.user
        self._check_held_by(user)
        if not isinstance(values, dict):
            raise UserError(self.env._("The outcome could not be read: choose an outcome again."))
        outcome = self._wrapup_get_outcome(values.get("outcome_id"))
        notes = values.get("notes") or ""
        if not isinstance(notes, str):
            raise UserError(self.env._("The notes must be text."))
        if len(notes) > MAX_NOTES_LENGTH:
            raise UserError(
                self.env._(
                    "The notes are too long (%(length)s characters): keep them under "
                    "%(max)s characters.",
                    length=len(notes),
                    max=MAX_NOTES_LENGTH,
                )
            )
        plan = {
            "outcome": outcome,
            "notes": storable_text(notes).strip(),
            "callback": None,
            "cart": [],
        }
        if outcome.requires_callback:
            plan["callback"] = self._wrapup_validate_callback(values.get("callback"))
        # seed 001: a campaign without the Agenda (Cart) step books no appointment (sale)
        if outcome.type in TYPE_WORKFLOW_STEPS:
            self.campaign_id._check_workflow_step(TYPE_WORKFLOW_STEPS[outcome.type])
        if outcome.type == "C":
            plan["cart"] = self._wrapup_validate_cart(values.get("cart"))
        if outcome.type == "T":
            self._wrapup_check_appointment(values)
        if outcome.effect == "blacklist" and not self._wrapup_get_numbers():
            raise UserError(
                self.env._("This contact has no number to put in the do-not-call list.")
            )
        return plan

    def _wrapup_get_outcome(self, outcome_id):
        self.ensure_one()
        if not isinstance(outcome_id, int) or isinstance(outcome_id, bool):
            raise UserError(self.env._("Choose an outcome before confirming."))
        outcome = self.env["smartcall.outcome"].browse(outcome_id).exists()
        if not outcome or not outcome.active:
            raise UserError(self.env._("This outcome does not exist any more: choose another one."))
        mode = self.campaign_id.mode
        if not outcome._is_allowed_for_mode(mode):
            if mode == "automatic" and outcome.is_system_only_automatic:
                raise UserError(
                    self.env._(
                        "%(outcome)s is set by the dialer in automatic campaigns: choose "
                        "another outcome.",
                        outcome=outcome.display_name,
                    )
                )
            raise UserError(
                self.env._(
                    "%(outcome)s cannot be used in this campaign: choose another outcome.",
                    outcome=outcome.display_name,
                )
            )
        return outcome

    def _get_operator_tz(self):
        self.ensure_one()
        return get_timezone(self.env.user.tz, self.campaign_id.tz)

    def _wrapup_validate_callback(self, callback):
        """CALLBK (seed 003, 3.1 and 3.4). Public: "oggi per oggi" only, in the operator's
        time zone; another day is refused and the message points to CBPROS. Private: today
        or later. Never in the past."""
        self.ensure_one()
        if not isinstance(callback, dict) or not callback.get("date") or not callback.get("time"):
            raise UserError(self.env._("Give the callback date and time."))
        try:
            day = isinstance(callback["date"], str) and fields.Date.to_date(callback["date"])
        except (TypeError, ValueError):
            day = None
        match = TIME_RE.match(str(callback["time"]).strip()) if callback.get("time") else None
        # years out of 1900-9000 are typos, and years 1 or 9999 cannot be moved across time zones
        if not day or not match or not 1900 <= day.year <= 9000:
            raise UserError(
                self.env._(
                    "The callback date or time is not valid: use a date like 2026-01-31 "
                    "and a time like 15:30."
                )
            )
        note = callback.get("note") or ""
        if not isinstance(note, str) or len(note) > MAX_NOTES_LENGTH:
            raise UserError(
                self.env._(
                    "The callback note must be text under %(max)s characters.",
                    max=MAX_NOTES_LENGTH,
                )
            )
        private = bool(callback.get("private"))
        tz = self._get_operator_tz()
        now = fields.Datetime.now()
        today = pytz.utc.localize(now).astimezone(tz).date()
        local = tz.localize(datetime.combine(day, time(int(match.group(1)), int(match.group(2)))))
        when = local.astimezone(pytz.utc).replace(tzinfo=None)
        if not private and day != today:
            raise UserError(
                self.env._(
                    "A public callback is for today only (%(today)s). For another day use "
                    "CBPROS - Try again later, or tick Private callback if this customer "
                    "is important.",
                    today=fields.Date.to_string(today),
                )
            )
        if when <= now:
            raise UserError(
                self.env._(
                    "The callback time %(when)s is already past: choose a later time.",
                    when=local.strftime("%Y-%m-%d %H:%M"),
                )
            )
        if not private:
            self.campaign_id._check_public_callback_time(when, now)
        if day > today + timedelta(days=MAX_CALLBACK_DAYS):
            raise UserError(
                self.env._(
                    "A callback more than %(days)s days ahead is not accepted: use CBPROS - "
                    "Try again later.",
                    days=MAX_CALLBACK_DAYS,
                )
            )
        return {"private": private, "when": when, "note": storable_text(note).strip()}

    def _wrapup_validate_cart(self, cart):
        """Type C (seed 001): "si apre l'elenco dei prodotti ... quantità, prezzo": at least
        one product, positive quantities, prices not negative, discounts 0-100."""
        self.ensure_one()
        if not isinstance(cart, list) or not cart:
            raise UserError(self.env._("The cart is empty: add at least one product."))
        if len(cart) > MAX_CART_LINES:
            raise UserError(
                self.env._("The cart has too many lines (max %(max)s).", max=MAX_CART_LINES)
            )
        Product = self.env["product.product"].sudo()
        lines = []
        for index, line in enumerate(cart, start=1):
            if not isinstance(line, dict):
                raise UserError(self.env._("Cart line %(line)s is not valid.", line=index))
            product_id = line.get("product_id")
            product = (
                Product.browse(product_id).exists()
                if isinstance(product_id, int) and not isinstance(product_id, bool)
                else Product
            )
            if not product or not product.active or not product.sale_ok:
                raise UserError(
                    self.env._(
                        "Cart line %(line)s: choose a product that can be sold.",
                        line=index,
                    )
                )
            try:
                quantity = float(line.get("quantity", 1))
                price = float(
                    line["price_unit"] if line.get("price_unit") is not None else product.lst_price
                )
                discount = float(line.get("discount") or 0.0)
            except (TypeError, ValueError, OverflowError) as error:
                raise UserError(
                    self.env._(
                        "Cart line %(line)s: quantity, price and discount must be numbers.",
                        line=index,
                    )
                ) from error
            if not quantity > 0 or quantity > 1e6:
                raise UserError(
                    self.env._(
                        "Cart line %(line)s: the quantity must be more than zero.",
                        line=index,
                    )
                )
            if not 0 <= price <= 1e9:
                raise UserError(
                    self.env._("Cart line %(line)s: the price cannot be negative.", line=index)
                )
            if not 0 <= discount <= 100:
                raise UserError(
                    self.env._(
                        "Cart line %(line)s: the discount must be between 0 and 100%%.",
                        line=index,
                    )
                )
            lines.append(
                {
                    "product": product,
                    "quantity": quantity,
                    "price_unit": price,
                    "discount": discount,
                }
            )
        return lines

    def _wrapup_check_appointment(self, values):
        """Type T hands over to the agenda (smartcall_agenda overrides this and
        `_wrapup_register_appointment`); without it an appointment cannot be booked."""
        raise UserError(
            self.env._(
                "Appointments (type T outcomes such as SALEA) need the Smartcall Agenda "
                "module: ask your administrator to install it, or choose another outcome."
            )
        )

    # Writes ---------------------------------------------------------------
    def _wrapup_close_call(self, plan):
        """The call of this attempt ends with the outcome and the notes."""
        self.ensure_one()
        call = self._ensure_open_call(self.env.user)
        callback = plan["callback"] or {}
        call._close(
            plan["outcome"],
            notes=plan["notes"],
            extra={
                "callback_at": callback.get("when") or False,
                "is_private_callback": bool(callback.get("private")),
            },
        )
        return call

    def _wrapup_apply_effect(self, plan, call):
        """What the outcome does to the contact (seed 000): close, retry, later work plan,
        do-not-call list, callback, or close after an appointment or a sale."""
        self.ensure_one()
        outcome = plan["outcome"]
        effect = outcome.effect
        if effect == "retry":
            self._wrapup_schedule_retry(outcome)
        elif effect == "next_plan":
            self._postpone_to_next_plan()
        elif effect == "blacklist":
            self._wrapup_blacklist()
        elif effect == "callback":
            callback = plan["callback"]
            note = callback["note"] or plan["notes"] or False
            if callback["private"]:
                self._set_private_callback(self.env.user, callback["when"], note)
            else:
                self._set_public_callback(callback["when"], note)
        else:  # close, appointment, sale
            self._mark_done()
        self.sudo().write({"last_outcome_id": outcome.id})

    def _wrapup_schedule_retry(self, outcome):
        """Not reached (A, B, N): the campaign's retry rule for this outcome gives the wait and
        the maximum attempts; without a rule the campaign's retry wait applies. The campaign's
        maximum attempts stays the cap (in `_schedule_retry`)."""
        self.ensure_one()
        rule = self.campaign_id.retry_rule_ids.filtered(lambda r: r.outcome_id == outcome)[:1]
        if rule and self.attempt_count >= rule.max_attempts:
            self._mark_done()
            self.sudo().excluded_reason = self.env._(
                "Maximum attempts reached for %(outcome)s", outcome=outcome.display_name
            )
            return
        self._schedule_retry(rule.wait_minutes if rule else None)

    def _wrapup_get_numbers(self):
        self.ensure_one()
        return [n for n in (self.phone_e164, self.mobile_e164) if n]

    def _wrapup_blacklist(self):
        """DNC (seed 000, "Registro opposizioni"): the numbers go to Odoo's do-not-call list
        and the customer leaves every campaign."""
        self.ensure_one()
        numbers = self._wrapup_get_numbers()
        self.env["phone.blacklist"].sudo()._add(numbers, message=DNC_MESSAGE)
        reason = self.env._("Do-not-call register (Registro delle Opposizioni)")
        self._mark_excluded(reason)
        self._exclude_numbers_everywhere(numbers, reason)

    @api.model
    def _exclude_numbers_everywhere(self, numbers, reason):
        """Take every campaign contact with one of `numbers` out of its campaign (DNC): the
        queued, new and private-callback ones; one held right now cannot be dialled any more
        (the dial paths refuse blacklisted numbers) and leaves at its outcome."""
        if not numbers:
            return self.browse()
        contacts = self.sudo().search(
            [
                ("state", "in", ("new", "queued", "callback")),
                "|",
                ("phone_e164", "in", numbers),
                ("mobile_e164", "in", numbers),
            ]
        )
        if contacts:
            contacts._mark_excluded(reason)
        return contacts

    @api.model
    def _exclude_blacklisted_everywhere(self, reason):
        """Set-based `_exclude_numbers_everywhere` for a whole do-not-call import: every new,
        queued or private-callback contact whose number is in the active list leaves its
        campaign, in one statement. Returns how many left."""
        self.flush_model()
        self._flush_for_numbers_sql()
        rows = self.env.execute_query(
            SQL(
                """UPDATE smartcall_campaign_contact c
                      SET state = 'excluded', excluded_reason = %(reason)s,
                          operator_id = NULL, claimed_at = NULL, callback_owner_id = NULL,
                          postponed_to_next_plan = FALSE,
                          write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                    WHERE c.state IN ('new', 'queued', 'callback') AND %(blacklisted)s
                RETURNING c.id""",
                reason=reason,
                uid=self.env.uid,
                blacklisted=self._blacklisted_sql("c"),
            )
        )
        ids = [row[0] for row in rows]
        if ids:
            self.browse(ids)._clear_sessions()
        self.invalidate_model()
        return len(ids)

    def _wrapup_prepare_sale_order(self, plan, call):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "user_id": self.env.user.id,
            "origin": self.campaign_id.name,
            "smartcall_call_id": call.id,
            "smartcall_campaign_id": self.campaign_id.id,
            "note": plan["notes"] or False,
            "order_line": [
                fields.Command.create(
                    {
                        "product_id": line["product"].id,
                        "product_uom_qty": line["quantity"],
                        "price_unit": line["price_unit"],
                        "discount": line["discount"],
                    }
                )
                for line in plan["cart"]
            ],
        }

    def _wrapup_create_sale_order(self, plan, call):
        """Type C (seed 001): the cart becomes a confirmed contract with its protocol number
        ("visualizzabile nella parte BACKOFFICE"). sudo: operators are not salespeople; the
        order is theirs (user_id) and every input was validated above."""
        self.ensure_one()
        SaleOrder = (
            self.env["sale.order"]
            .sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
        )
        order = SaleOrder.create(self._wrapup_prepare_sale_order(plan, call))
        for line, values in zip(order.order_line, plan["cart"], strict=True):
            # The operator's price wins over the pricelist recomputation.
            if float_compare(line.price_unit, values["price_unit"], precision_digits=6):
                line.price_unit = values["price_unit"]
        order.action_confirm()
        call.sale_order_id = order
        return order

    def _wrapup_register_appointment(self, values, call=None):
        """Hook for smartcall_agenda: book the appointment of a type T outcome."""
        self._wrapup_check_appointment(values)

    def _wrapup_update_session(self, outcome):
        """The operator is free again: Ready, or in Pause when they asked for it during the
        call (see the session's `_set_free`); the supervisor wall shows the last outcome."""
        session = self.env["smartcall.operator.session"]._get_open(self.env.user)
        if not session:
            return
        vals = {"current_contact_id": False}
        if outcome:
            vals["last_outcome_id"] = outcome.id
        session.write(vals)
        session._set_free()

    # ------------------------------------------------------------------
    # Private callbacks (seed 003, 3.1: "gestito solo manualmente da te")
    # ------------------------------------------------------------------
    @api.model
    def _get_my_callbacks(self, user=None):
        """The private callbacks of `user`, soonest first."""
        user = user or self.env.user
        return self.search(
            [("state", "=", "callback"), ("callback_owner_id", "=", user.id)],
            order="next_call_at, id",
        )

    def _reassign_private_callback(self, new_owner):
        """A supervisor moves private callbacks to another operator (e.g. the owner left)."""
        if not self.env.user.has_group("smartcall_campaign.group_supervisor"):
            raise UserError(self.env._("Only supervisors can reassign private callbacks."))
        not_private = self.filtered(lambda c: c.state != "callback" or not c.callback_owner_id)
        if not_private:
            raise UserError(
                self.env._(
                    "%(contacts)s: not a private callback, nothing to reassign.",
                    contacts=", ".join(not_private.mapped("partner_id.display_name")),
                )
            )
        if not new_owner.has_group("smartcall_campaign.group_operator"):
            raise UserError(self.env._("%(user)s is not an operator.", user=new_owner.display_name))
        not_assigned = self.campaign_id.filtered(lambda c: new_owner not in c.operator_ids)
        if not_assigned:
            raise UserError(
                self.env._(
                    "%(user)s is not assigned to %(campaigns)s: add them to the campaign first.",
                    user=new_owner.display_name,
                    campaigns=", ".join(not_assigned.mapped("name")),
                )
            )
        self.sudo().write({"callback_owner_id": new_owner.id})
        self._notify_callback_owner(new_owner)
        return True

    def _notify_callback_owner(self, owner):
        """Push to `owner`'s console: private callbacks were handed to them."""
        self.env["bus.bus"]._sendone(
            owner.partner_id,
            "smartcall.console/callback",
            {"contact_ids": self.ids, "reason": "reassigned"},
        )

    def action_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "smartcall_outcomes.smartcall_call_action"
        )
        action["domain"] = [("contact_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
