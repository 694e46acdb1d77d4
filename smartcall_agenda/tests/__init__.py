from . import test_agenda_menu
from . import test_appointment_spacing
from . import test_appointment_booking
from . import test_appointment_race
from . import test_appointment_tour
from . import test_reschedule_modes
from . import test_field_agent
