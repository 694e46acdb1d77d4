# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Smartcall Outcomes",
    "summary": "Call outcomes, callbacks, do-not-call and on-line sales",
    "version": "18.0.1.0.0",
    "category": "Sales/Call Center",
    "website": "https://github.com/smartcall/smartcall-odoo",
    "author": "Smartcall",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["smartcall_campaign", "sale_management"],
    "data": ["security/ir.model.access.csv", "views/menus.xml"],
    "assets": {
        "web.assets_backend": ["smartcall_outcomes/static/src/**/*"],
        "web.assets_tests": ["smartcall_outcomes/static/tests/tours/**/*"],
    },
}
