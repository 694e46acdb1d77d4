from . import smartcall_add_to_campaign
from . import smartcall_import_mixin
from . import smartcall_contact_import
from . import smartcall_coverage_import
