# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Smartcall Agenda",
    "summary": "Field-agent appointments, back-office states and rescheduling",
    "version": "18.0.1.0.0",
    "category": "Sales/Call Center",
    "website": "https://github.com/smartcall/smartcall-odoo",
    "author": "Smartcall",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["smartcall_outcomes", "calendar"],
    "data": ["views/menus.xml"],
}
