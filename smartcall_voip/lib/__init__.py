# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Plain Python helpers of smartcall_voip, without Odoo: the AMI protocol, dial strings and the
dialer's pacing."""
