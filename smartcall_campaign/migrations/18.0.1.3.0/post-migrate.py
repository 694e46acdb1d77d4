# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Campaign workflow (seed 001): the campaigns made before it get every step (script, agenda,
cart, outcome), so their consoles keep offering what they offered."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    Campaign = env["smartcall.campaign"]
    campaigns = Campaign.search([("workflow_step_ids", "=", False)])
    for campaign in campaigns:
        campaign.workflow_step_ids = Campaign._default_workflow_steps()
    _logger.info("Campaign workflow: all steps given to %s campaigns", len(campaigns))
