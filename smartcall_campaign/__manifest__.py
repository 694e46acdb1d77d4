# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Smartcall Campaigns",
    "summary": "Outbound call-center campaigns, work queue and operator console",
    "version": "18.0.1.0.0",
    "category": "Sales/Call Center",
    "website": "https://github.com/smartcall/smartcall-odoo",
    "author": "Smartcall",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["contacts", "mail", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/smartcall_security.xml",
        "security/ir.model.access.csv",
        "views/menus.xml",
        "views/smartcall_console_action.xml",
    ],
    "demo": [],
    "assets": {
        "web.assets_backend": ["smartcall_campaign/static/src/**/*"],
        "web.assets_tests": ["smartcall_campaign/static/tests/tours/**/*"],
    },
}
