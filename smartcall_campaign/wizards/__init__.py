from . import smartcall_add_to_campaign
