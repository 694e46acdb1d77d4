# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.smartcall_voip.models.smartcall_call import CALL_LIVE_STATES

# What an operator edits on their own inbound call in the form; the rest goes through methods.
OPERATOR_FIELDS = {
    "partner_id",
    "notes",
    "inbound_state_id",
    "inbound_action_id",
    "inbound_group_id",
    "inbound_group_detail_id",
    "caller_first_name",
    "caller_last_name",
    "privacy_consent",
    "document_type",
    "document_number",
}
DEFAULT_LAST_CONTACTS = 3
# An unanswered ring older than this is over: the PBX has given up on that extension.
RING_TIMEOUT_SECONDS = 120


class SmartcallCall(models.Model):
    _inherit = "smartcall.call"

    state = fields.Selection(
        selection_add=[("missed", "Missed")],
        ondelete={"missed": "set default"},
        help="Abandoned: the operator pressed STOP/CHIUDI, nothing of the wrap-up was kept. "
        "Missed: an inbound call that ended before the operator answered.",
    )
    inbound_called_number = fields.Char(
        string="Number Called", help="The PBX number the customer dialled."
    )
    inbound_queue = fields.Char(string="PBX Queue")
    inbound_unique_id = fields.Char(
        string="PBX Call ID", index="btree_not_null", copy=False, readonly=True
    )
    inbound_portfolio_holder_id = fields.Many2one(
        "res.users",
        string="Portfolio Holder",
        readonly=True,
        help="The operator who holds this customer in the portfolio type of the inbound "
        "campaign (seed 002).",
    )
    inbound_candidate_ids = fields.Many2many(
        "res.partner",
        "smartcall_call_inbound_candidate_rel",
        "call_id",
        "partner_id",
        string="Possible Callers",
        readonly=True,
        help="Several customers share the caller's number: choose one.",
    )
    inbound_state_id = fields.Many2one(
        "smartcall.inbound.state", string="Call State", ondelete="restrict"
    )
    inbound_action_id = fields.Many2one(
        "smartcall.inbound.action", string="Action", ondelete="restrict"
    )
    inbound_group_id = fields.Many2one(
        "smartcall.inbound.group", string="Group", ondelete="restrict"
    )
    inbound_group_detail_id = fields.Many2one(
        "smartcall.inbound.group.detail",
        string="Group Detail",
        ondelete="restrict",
        domain="[('group_id', '=', inbound_group_id)]",
    )
    inbound_group_has_details = fields.Boolean(compute="_compute_inbound_group_has_details")
    caller_first_name = fields.Char(string="First Name")
    caller_last_name = fields.Char(string="Last Name")
    privacy_consent = fields.Selection(
        [("given", "Given"), ("refused", "Refused")],
        help="The customer's answer to the privacy notice (consenso informativo).",
    )
    document_type = fields.Selection(
        [
            ("id_card", "Identity Card"),
            ("passport", "Passport"),
            ("driving_licence", "Driving Licence"),
            ("other", "Other"),
        ]
    )
    document_number = fields.Char()
    partner_vat = fields.Char(related="partner_id.vat", string="VAT")
    partner_street = fields.Char(related="partner_id.street", string="Street")
    partner_city = fields.Char(related="partner_id.city", string="City")
    partner_province_id = fields.Many2one(related="partner_id.state_id", string="Province")
    partner_email = fields.Char(related="partner_id.email", string="Email")
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    partner_mobile = fields.Char(related="partner_id.mobile", string="Mobile")
    partner_category_ids = fields.Many2many(related="partner_id.category_id", string="Tags")
    partner_company_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Company"
    )
    inbound_last_contacts_html = fields.Html(
        string="Last Contacts", compute="_compute_inbound_last_contacts_html", sanitize=False
    )

    @api.depends("inbound_group_id")
    def _compute_inbound_group_has_details(self):
        for call in self:
            call.inbound_group_has_details = bool(call.inbound_group_id.detail_ids)

    @api.constrains("inbound_group_id", "inbound_group_detail_id")
    def _check_inbound_group_detail(self):
        for call in self:
            detail = call.inbound_group_detail_id
            if detail and detail.group_id != call.inbound_group_id:
                raise ValidationError(
                    self.env._(
                        "The group detail %(detail)s belongs to the group %(group)s, not to "
                        "%(chosen)s: choose a detail of the chosen group.",
                        detail=detail.name,
                        group=detail.group_id.name,
                        chosen=call.inbound_group_id.name or "-",
                    )
                )

    @api.onchange("inbound_group_id")
    def _onchange_inbound_group_id(self):
        if self.inbound_group_detail_id.group_id != self.inbound_group_id:
            self.inbound_group_detail_id = False

    @api.onchange("partner_id")
    def _onchange_partner_id_names(self):
        if self.direction == "in" and self.partner_id:
            self.update(self._smartcall_inbound_names(self.partner_id))

    # ------------------------------------------------------------------
    # Access: operators edit their own open inbound call, nothing else
    # ------------------------------------------------------------------
    def write(self, vals):
        if not self.env.su and not self.env.user.has_group("smartcall_campaign.group_manager"):
            self._smartcall_inbound_check_operator_write(vals)
        partner_changed = "partner_id" in vals
        result = super().write(vals)
        if partner_changed and vals.get("partner_id"):
            Partner = self.env["res.partner"]
            for call in self.filtered(lambda c: c.direction == "in" and c.number):
                # seed 002: the customer chosen by hand gets the caller's number
                if Partner._smartcall_normalize_phone(call.number):
                    call.partner_id.sudo()._smartcall_add_number(call.number)
        return result

    def _smartcall_inbound_check_operator_write(self, vals):
        extra = set(vals) - OPERATOR_FIELDS
        for call in self:
            if (
                extra
                or call.direction != "in"
                or call.state != "draft"
                or call.user_id != self.env.user
            ):
                raise AccessError(
                    self.env._(
                        "You can only fill in your own inbound call while it is open; the "
                        "rest of a call is recorded by the system."
                    )
                )

    # ------------------------------------------------------------------
    # Ringing, accept, hang-up, manual registration
    # ------------------------------------------------------------------
    @api.model
    def _smartcall_inbound_names(self, partner):
        """First and last name proposed from a person's name ("Mario Rossi")."""
        if not partner or partner.is_company:
            return {}
        first, _sep, last = (partner.name or "").strip().partition(" ")
        return {"caller_first_name": first or False, "caller_last_name": last or False}

    @api.model
    def _smartcall_inbound_identify(self, caller_number, campaign):
        """Seed 002: caller look-up by number, then the portfolio holder of the campaign's
        TIPO PORTAFOGLIO. Several matches of different customers: the operator chooses."""
        Partner = self.env["res.partner"].sudo()
        matches = Partner._smartcall_find_by_phone(caller_number)
        # an extra number kept on an "Other number" contact person stands for its customer
        matches = matches.filtered(lambda p: p.type != "other" or not p.parent_id) | (
            matches.filtered(lambda p: p.type == "other" and p.parent_id).parent_id
        )
        partner = Partner.browse()
        if len(matches) == 1:
            partner = matches
        elif matches and len(matches.commercial_partner_id) == 1:
            partner = matches.commercial_partner_id
        values = {
            "partner_id": partner.id,
            "inbound_candidate_ids": [(6, 0, matches.ids if not partner else [])],
            "inbound_portfolio_holder_id": (
                partner._smartcall_portfolio_holder(campaign.portfolio_type_id).id
                if partner
                else False
            ),
        }
        values.update(self._smartcall_inbound_names(partner))
        return values

    @api.model
    def _smartcall_inbound_ring(
        self, user, caller_number, called_number=None, unique_id=None, queue=None
    ):
        """The PBX rings `user`'s extension from outside (seed 002): an open inbound call
        with the caller identified, and the phone bar told through the bus. One call per
        PBX call id."""
        Call = self.sudo()
        if unique_id:
            existing = Call.search([("inbound_unique_id", "=", unique_id)], limit=1)
            if existing:
                return existing
        campaign = self.env["smartcall.campaign"]._smartcall_find_inbound_campaign(
            called_number, queue
        )
        number = (
            self.env["res.partner"]._smartcall_normalize_phone(caller_number)
            or (caller_number or "").strip()
            or False
        )
        values = {
            "direction": "in",
            "state": "draft",
            "user_id": user.id,
            "number": number,
            "campaign_id": campaign.id,
            "inbound_called_number": called_number or False,
            "inbound_queue": queue or False,
            "inbound_unique_id": unique_id or False,
            "started_at": fields.Datetime.now(),
        }
        values.update(self._smartcall_inbound_identify(number, campaign))
        call = Call.create(values)
        user._bus_send("smartcall_inbound/ringing", call._smartcall_inbound_payload())
        return call

    def _smartcall_inbound_payload(self):
        """What the phone bar shows of a call (plain strings, no access needed)."""
        self.ensure_one()
        call = self.sudo()
        holder = call.inbound_portfolio_holder_id
        return {
            "call_id": call.id,
            "number": call.number or "",
            "number_display": call._smartcall_inbound_number_display(),
            "called_number": call.inbound_called_number or "",
            "partner_id": call.partner_id.id or False,
            "partner_name": call.partner_id.display_name or "",
            "candidate_count": len(call.inbound_candidate_ids),
            "campaign_name": call.campaign_id.name or "",
            "holder_name": holder.name or "",
            "holder_is_me": bool(holder) and holder == call.user_id,
            "answered": bool(call.answered_at),
            "ended": bool(call.ended_at),
            "state": call.state,
        }

    def _smartcall_inbound_number_display(self):
        """The caller's number as people read it (+39 02 1234 5678), else as received."""
        self.ensure_one()
        if not self.number:
            return ""
        return (
            self.env["res.partner"]._phone_format(
                number=self.number, force_format="INTERNATIONAL", raise_exception=False
            )
            or self.number
        )

    def _smartcall_inbound_check_own(self):
        for call in self:
            if call.direction != "in" or call.user_id != self.env.user:
                raise AccessError(self.env._("This inbound call is not yours."))
            if call.state != "draft":
                raise UserError(self.env._("This inbound call is already closed."))

    def _smartcall_inbound_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Inbound Call"),
            "res_model": "smartcall.call",
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("smartcall_inbound.smartcall_call_view_form_inbound").id, "form")
            ],
            "target": "current",
        }

    def action_accept_inbound(self):
        """Accetta chiamata: the operator answers; the inbound call form opens."""
        self.ensure_one()
        self._smartcall_inbound_check_own()
        if not self.answered_at:
            self.sudo().answered_at = fields.Datetime.now()
        if self.sudo().pbx_state == "ringing":
            self.sudo().pbx_state = "answered"
        self.env.user._bus_send("smartcall_inbound/updated", self._smartcall_inbound_payload())
        return self._smartcall_inbound_form_action()

    def action_hangup_inbound(self):
        """Hang-up from the phone bar: the conversation ends, the form stays open to close.
        A ring hung up before anyone answered is a missed call. When the caller hung up
        first, nothing more is sent to the PBX and nothing is recorded again."""
        self.ensure_one()
        self._smartcall_inbound_check_own()
        call = self.sudo()
        # the PBX's clock, to the microsecond like its answer time: Datetime.now() drops the
        # fraction, and a call answered at 57.9 s and hung up at 59.0 s would talk 1 s less
        now = max(self.env["smartcall.pbx"]._ami_time({}), self.started_at)
        if call.pbx_id and call.pbx_channel_id and call.pbx_state in CALL_LIVE_STATES:
            call._pbx_hang_up()  # the PBX's client hangs the channel up
            call._pbx_close(now)
        elif not call.ended_at:
            values = {"ended_at": now}
            if not call.answered_at:
                values["state"] = "missed"
            call.write(values)
        call._smartcall_inbound_push()
        return True

    def _pbx_close(self, when, cause=0, cause_text="", dial_status=""):
        """An inbound call closed by the PBX (or by the phone bar's hang-up) before anyone
        answered is missed: a final state, with nothing left for the operator to close."""
        closed = super()._pbx_close(when, cause, cause_text, dial_status)
        if closed and self.direction == "in" and self.state == "draft" and not self.answered_at:
            self.sudo().write({"state": "missed"})
        return closed

    def _pbx_push(self):
        """The phone bar, not the outbound console, shows what the PBX says of inbound calls."""
        inbound = self.filtered(lambda call: call.direction == "in")
        res = super(SmartcallCall, self - inbound)._pbx_push()
        for call in inbound:
            call._smartcall_inbound_push()
        return res

    def _smartcall_inbound_push(self):
        """Tell the operator's phone bar where the call is: a missed call leaves the phone
        bar ("closed", with what to say about it); otherwise the call as it is now."""
        self.ensure_one()
        call = self.sudo()
        if call.state == "missed":
            call.user_id._bus_send(
                "smartcall_inbound/closed",
                {
                    "call_id": call.id,
                    "missed": True,
                    "number_display": call._smartcall_inbound_number_display(),
                    "partner_name": call.partner_id.display_name or "",
                },
            )
        else:
            call.user_id._bus_send("smartcall_inbound/updated", call._smartcall_inbound_payload())

    @api.model
    def action_register_inbound(self, caller_number, campaign_id=False):
        """Without a PBX (seed 002 flow): the operator registers the call they answered."""
        user = self.env.user
        if not user.has_group("smartcall_campaign.group_operator"):
            raise AccessError(self.env._("Only call-center operators register inbound calls."))
        if not caller_number or not str(caller_number).strip():
            raise UserError(self.env._("Type the caller's number to register the call."))
        Campaign = self.env["smartcall.campaign"]
        campaign = Campaign.browse(campaign_id).exists() if campaign_id else Campaign
        if campaign and campaign.direction != "in":
            raise UserError(
                self.env._("%(campaign)s is not an inbound campaign.", campaign=campaign.name)
            )
        call = self._smartcall_inbound_ring(user, str(caller_number).strip())
        if campaign and not call.campaign_id:
            call.sudo().write({"campaign_id": campaign.id})
            call.sudo().write(self._smartcall_inbound_identify(call.number, campaign))
        return call.action_accept_inbound()

    @api.model
    def smartcall_inbound_phone_bar_state(self):
        """The phone bar at start-up: the operator's state and open inbound call."""
        user = self.env.user
        ring_since = fields.Datetime.now() - timedelta(seconds=RING_TIMEOUT_SECONDS)
        call = self.sudo().search(
            [
                ("user_id", "=", user.id),
                ("direction", "=", "in"),
                ("state", "=", "draft"),
                "|",
                ("answered_at", "!=", False),
                ("started_at", ">=", ring_since),
            ],
            order="started_at desc, id desc",
            limit=1,
        )
        session = self.env["smartcall.operator.session"]._get_open(user)
        if call and call.answered_at:
            state = "in_call"
        elif call:
            state = "ringing"
        elif session.state == "paused":
            state = "paused"
        elif session.state in ("in_call", "wrap_up"):
            state = "in_call"
        else:
            state = "available"
        return {
            "state": state,
            "is_operator": user.has_group("smartcall_campaign.group_operator"),
            "call": call._smartcall_inbound_payload() if call else False,
        }

    @api.model
    def smartcall_inbound_lookup(self, number):
        """Caller look-up for the phone bar and the form (seed 002, automatic search):
        the customers whose stored number is `number`, in whatever format it comes."""
        if not self.env.user.has_group("smartcall_campaign.group_operator"):
            raise AccessError(self.env._("Only call-center operators look callers up."))
        partners = self.env["res.partner"].sudo()._smartcall_find_by_phone(number)
        return [{"id": partner.id, "name": partner.display_name} for partner in partners]

    def action_set_caller(self, partner_id):
        """The caller found by hand (DINAMICA / FULL): set it; the number goes on the record."""
        self.ensure_one()
        partner = self.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise UserError(self.env._("This customer no longer exists."))
        self.write({"partner_id": partner.id, **self._smartcall_inbound_names(partner)})
        holder = partner._smartcall_portfolio_holder(self.sudo().campaign_id.portfolio_type_id)
        self.sudo().write(
            {"inbound_portfolio_holder_id": holder.id, "inbound_candidate_ids": [(5, 0, 0)]}
        )
        return True

    # ------------------------------------------------------------------
    # Closing
    # ------------------------------------------------------------------
    def _smartcall_inbound_missing_fields(self):
        """Labels of the fields still empty that closing requires (seed 002 STATO)."""
        self.ensure_one()
        required = [
            "inbound_state_id",
            "inbound_action_id",
            "inbound_group_id",
            "inbound_group_detail_id",
            "caller_first_name",
            "caller_last_name",
            "privacy_consent",
            "document_type",
            "document_number",
            "notes",
        ]
        if self.inbound_group_id and not self.inbound_group_id.detail_ids:
            required.remove("inbound_group_detail_id")
        missing = []
        for fname in required:
            value = self[fname]
            if not value or (isinstance(value, str) and not value.strip()):
                missing.append(self._fields[fname]._description_string(self.env))
        return missing

    def action_close_inbound(self):
        """Chiudi contatto: refused while a required field is empty, naming it. With CI0036
        on, the customer's outbound campaigns are shown next."""
        self.ensure_one()
        self._smartcall_inbound_check_own()
        missing = self._smartcall_inbound_missing_fields()
        if missing:
            raise UserError(
                self.env._(
                    "To close the inbound call, fill in: %(fields)s.", fields=", ".join(missing)
                )
            )
        now = fields.Datetime.now()
        self.sudo().write(
            {
                "state": "done",
                "ended_at": self.ended_at or max(now, self.started_at),
                "answered_at": self.answered_at or self.started_at,
            }
        )
        self.env.user._bus_send("smartcall_inbound/closed", {"call_id": self.id})
        if self._smartcall_inbound_show_outbound():
            return self.env["smartcall.inbound.outbound"]._action_open_for_call(self)
        return True

    @api.model
    def _smartcall_inbound_ci0036(self):
        return self.env["ir.config_parameter"].sudo().get_param(
            "smartcall_inbound.show_outbound_on_close", "False"
        ).lower() in ("1", "true", "yes")

    def _smartcall_inbound_outbound_contacts(self):
        """The caller's contacts in outbound campaigns that are still open."""
        self.ensure_one()
        if not self.partner_id:
            return self.env["smartcall.campaign.contact"]
        commercial = self.partner_id.commercial_partner_id
        return (
            self.env["smartcall.campaign.contact"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", commercial.id),
                    ("campaign_id.direction", "=", "out"),
                    ("state", "not in", ("done", "excluded")),
                ]
            )
        )

    def _smartcall_inbound_show_outbound(self):
        return self._smartcall_inbound_ci0036() and bool(
            self._smartcall_inbound_outbound_contacts()
        )

    # ------------------------------------------------------------------
    # Last contacts (N inbound + N outbound)
    # ------------------------------------------------------------------
    @api.model
    def _smartcall_inbound_last_contacts_count(self):
        raw = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("smartcall_inbound.last_contacts_count", DEFAULT_LAST_CONTACTS)
        )
        try:
            return max(1, int(raw))
        except (TypeError, ValueError):
            return DEFAULT_LAST_CONTACTS

    def _smartcall_inbound_last_contacts(self, limit=None):
        """Seed 002 "ultimi contatti telefonici": the customer's last N inbound and last N
        outbound calls (2N rows), then, for each outbound campaign where the customer has
        no call yet, the contact's state there and who holds it."""
        self.ensure_one()
        limit = limit or self._smartcall_inbound_last_contacts_count()
        result = {"inbound": [], "outbound": [], "pending": []}
        if not self.partner_id:
            return result
        Call = self.sudo()
        family = [("partner_id", "child_of", self.partner_id.commercial_partner_id.id)]
        for direction, key in (("in", "inbound"), ("out", "outbound")):
            calls = Call.search(
                family + [("direction", "=", direction), ("id", "!=", self.id)],
                order="started_at desc, id desc",
                limit=limit,
            )
            result[key] = [
                {
                    "call_id": call.id,
                    "started_at": call.started_at,
                    "campaign": call.campaign_id.name or "",
                    "operator": call.user_id.name or "",
                    "outcome": (
                        call.inbound_state_id.name
                        if direction == "in"
                        else call.outcome_id.display_name
                    )
                    or "",
                    "state": dict(call._fields["state"]._description_selection(self.env))[
                        call.state
                    ],
                }
                for call in calls
            ]
        Contact = self.env["smartcall.campaign.contact"].sudo()
        contacts = Contact.search(family + [("campaign_id.direction", "=", "out")])
        called = set(Call.search([("contact_id", "in", contacts.ids)]).mapped("contact_id").ids)
        states = dict(Contact._fields["state"]._description_selection(self.env))
        result["pending"] = [
            {
                "contact_id": contact.id,
                "campaign": contact.campaign_id.name,
                "state": states[contact.state],
                "holder": (contact.operator_id or contact.callback_owner_id).name or "",
            }
            for contact in contacts
            if contact.id not in called
        ]
        return result

    def _smartcall_inbound_local_time(self, when):
        """`when` (UTC) in the operator's time zone, to the minute."""
        return fields.Datetime.to_string(fields.Datetime.context_timestamp(self, when))[:16]

    @api.depends("partner_id")
    def _compute_inbound_last_contacts_html(self):
        for call in self:
            if call.direction != "in" or not call.partner_id:
                call.inbound_last_contacts_html = False
                continue
            call.inbound_last_contacts_html = self.env["ir.qweb"]._render(
                "smartcall_inbound.last_contacts",
                {
                    "rows": call._smartcall_inbound_last_contacts(),
                    "format_dt": call._smartcall_inbound_local_time,
                },
            )

    # ------------------------------------------------------------------
    # Invio Mail
    # ------------------------------------------------------------------
    def action_send_mail_inbound(self):
        """Invio Mail (seed 002): Odoo's composer, to the customer's main address with the
        additional ones in CC; the mail is logged in the customer's chatter."""
        self.ensure_one()
        partner = self.partner_id
        if not partner:
            raise UserError(self.env._("Identify the customer before sending a mail."))
        if not partner.email:
            raise UserError(
                self.env._(
                    "%(customer)s has no e-mail address: add it to the customer first.",
                    customer=partner.display_name,
                )
            )
        template = self.env.ref("smartcall_inbound.mail_template_inbound_mail")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Mail"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": [partner.id],
                "default_composition_mode": "mass_mail",
                "default_template_id": template.id,
                "default_auto_delete": False,
                # keep the To and CC addresses as written instead of turning them into partners
                "mail_composer_force_partners": False,
            },
        }
