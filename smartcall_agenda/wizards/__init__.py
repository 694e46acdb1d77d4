from . import smartcall_appointment_outcome
from . import smartcall_appointment_outcome_line
from . import smartcall_appointment_reassign
