from . import smartcall_callback_reassign
from . import smartcall_dnc_import
