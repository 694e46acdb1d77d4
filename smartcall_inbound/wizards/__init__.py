from . import smartcall_inbound_outbound
from . import smartcall_inbound_outbound_line
