from . import test_ami_protocol
from . import test_dial_number
from . import test_pbx_config
from . import test_pbx_connection_test
from . import test_voip_security
from . import test_voip_rpc_access
from . import test_pbx_events
