# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Seed 001, "Colori degli Esiti": R and N outcomes tell apart at a glance on the supervisor
wall. B's amber sat between the two R colours (CBPROS yellow, CALLBK orange) and CPOC's salmon
next to CALLBK: B becomes grey like the other not-reached outcomes, CPOC violet. The catalog is
noupdate (managers edit it), so only a colour still at its shipped value is changed."""

NEW_COLORS = {
    # xmlid: (shipped colour, new colour)
    "outcome_b": ("#ffb300", "#757575"),
    "outcome_cpoc": ("#ff8a65", "#7e57c2"),
}


def migrate(cr, version):
    if not version:
        return
    for xmlid, (old, new) in NEW_COLORS.items():
        cr.execute(
            """
            UPDATE smartcall_outcome o
               SET color = %s
              FROM ir_model_data d
             WHERE d.module = 'smartcall_outcomes' AND d.name = %s
               AND d.model = 'smartcall.outcome' AND d.res_id = o.id
               AND lower(o.color) = %s
            """,
            (new, xmlid, old),
        )
