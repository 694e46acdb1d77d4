# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Contract protocol numbers now come from a standard `ir.sequence` inside the wrap-up.

Databases installed before keep their no-gap sequence (its data is noupdate), the numbering
cron that called a removed method, and the contracts still waiting for their number: switch
the sequence to the standard implementation (Odoo then creates its PostgreSQL sequence from
the next number), number the waiting contracts in confirmation order, drop the cron and the
column of the removed "waiting" flag."""

from odoo import SUPERUSER_ID, api, fields
from odoo.tools.sql import column_exists

PENDING_COLUMN = "smartcall_protocol_pending"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    cron = env.ref("smartcall_outcomes.ir_cron_assign_contract_protocols", raise_if_not_found=False)
    if cron:
        cron.unlink()
    sequence = env.ref("smartcall_outcomes.sequence_contract_protocol", raise_if_not_found=False)
    if sequence and sequence.implementation != "standard":
        sequence.write({"implementation": "standard"})
    if not column_exists(cr, "sale_order", PENDING_COLUMN):
        return
    cr.execute(
        "SELECT id FROM sale_order WHERE smartcall_protocol_pending"
        " AND smartcall_protocol IS NULL ORDER BY date_order, id"
    )
    orders = env["sale.order"].browse([row[0] for row in cr.fetchall()])
    for order in orders:
        order.smartcall_protocol = env["ir.sequence"].next_by_code(
            "smartcall.contract.protocol", sequence_date=fields.Date.to_date(order.date_order)
        )
    env.flush_all()
    # Odoo drops the column itself when it removes the field at the end of the update.
