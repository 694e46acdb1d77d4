# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The shipped "Visited" state is an outcome (KO rate); its data file is noupdate."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    visited = env.ref("smartcall_agenda.appointment_state_done", raise_if_not_found=False)
    if visited:
        visited.is_outcome = True
