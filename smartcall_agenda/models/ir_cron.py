# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import ValidationError

from .smartcall_appointment_state import CRON_CALLBACK, CRON_MOVE, CRON_NEW_CARD


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.constrains("active")
    def _check_smartcall_reschedule_conflicts(self):
        """Seed 004: activating a rescheduling procedure that contradicts the back-office
        states (or the other procedure) is refused, naming what conflicts."""
        ours = {}
        for xmlid in (CRON_MOVE, CRON_NEW_CARD, CRON_CALLBACK):
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                ours[cron.id] = xmlid
        touched = self.filtered(lambda c: c.id in ours and c.active)
        if not touched:
            return
        active = {ours[cron_id] for cron_id in ours if self.browse(cron_id).sudo().active}
        if CRON_MOVE in active and CRON_NEW_CARD in active:
            raise ValidationError(
                self.env._(
                    "The scheduled procedures of mode 3 (move the appointment) and mode 4 (new "
                    "appointment) act on the same appointments: activate only one of them."
                )
            )
        # a short configuration list
        states = self.env["smartcall.appointment.state"].sudo().search([])  # pylint: disable=no-search-all
        blocking = [
            message
            for is_blocking, message in states._get_configuration_conflicts(active)
            if is_blocking
        ]
        if blocking:
            raise ValidationError("\n".join(blocking))
