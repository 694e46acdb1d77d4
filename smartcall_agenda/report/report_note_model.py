# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ReportNoteModel(models.AbstractModel):
    """The printable "modello note" (seed 003, 4.3 "SCARICA e STAMPA il modello note"): the
    note for the agent of each appointment given, or the blank model when none is given (the
    console prints it before the appointment exists)."""

    _name = "report.smartcall_agenda.report_note_model"
    _description = "Note for the Agent (printable model)"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["calendar.event"].browse(docids or []).exists()
        docs.check_access("read")
        notes = [doc._get_note_report_data() for doc in docs] or [docs._get_note_report_data()]
        return {
            "doc_ids": docs.ids,
            "doc_model": "calendar.event",
            "docs": docs,
            "notes": notes,
        }
