from . import test_agenda_menu
