# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Smartcall Inbound",
    "summary": "Inbound calls: phone bar, call form, caller look-up, last contacts",
    "version": "18.0.1.0.0",
    "category": "Sales/Call Center",
    "website": "https://github.com/smartcall/smartcall-odoo",
    "author": "Smartcall",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["smartcall_voip"],
    "data": ["views/menus.xml"],
}
