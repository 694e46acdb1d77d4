from . import test_inbound_menu
