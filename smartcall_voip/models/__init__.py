from . import smartcall_pbx
from . import smartcall_pbx_line
from . import smartcall_call
from . import res_users
from . import smartcall_console
