# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One E.164 phone store: the partner's smartcall_phone_e164 / smartcall_mobile_e164.

Campaign contacts kept their own stored copies (phone_e164, mobile_e164), which the console's
"Richiama mobile" wrote on: a number found only there is written on the customer (never
overwriting one it has, see res.partner._smartcall_add_number), then the copies are dropped.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    columns = [
        column
        for column in ("phone_e164", "mobile_e164")
        if column_exists(cr, "smartcall_campaign_contact", column)
    ]
    if not columns:
        return
    Partner = env["res.partner"]
    moved = 0
    for column in columns:
        number = SQL.identifier("c", column)
        cr.execute(
            SQL(
                """SELECT DISTINCT c.partner_id, %(number)s
                     FROM smartcall_campaign_contact c
                     JOIN res_partner p ON p.id = c.partner_id
                    WHERE %(number)s IS NOT NULL
                      AND %(number)s IS DISTINCT FROM p.smartcall_phone_e164
                      AND %(number)s IS DISTINCT FROM p.smartcall_mobile_e164""",
                number=number,
            )
        )
        for partner_id, number in cr.fetchall():
            partner = Partner.browse(partner_id)
            if Partner._smartcall_normalize_phone(number):
                partner._smartcall_add_number(number)
                moved += 1
    env.flush_all()
    for column in columns:
        cr.execute(
            SQL("ALTER TABLE smartcall_campaign_contact DROP COLUMN %s", SQL.identifier(column))
        )
    _logger.info(
        "Phone store: %s campaign-contact numbers moved to their customers; columns %s dropped",
        moved,
        ", ".join(columns),
    )
