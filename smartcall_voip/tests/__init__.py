from . import test_voip_security
