from . import report_note_model
