# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Smartcall Agenda",
    "summary": "Field-agent appointments, back-office states and rescheduling",
    "version": "18.0.1.2.0",
    "category": "Sales/Call Center",
    "website": "https://github.com/smartcall/smartcall-odoo",
    "author": "Smartcall",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["smartcall_outcomes", "calendar", "resource", "bus"],
    "data": [
        "security/ir.model.access.csv",
        "security/smartcall_agenda_security.xml",
        "data/smartcall_appointment_state_data.xml",
        "data/ir_cron_data.xml",
        "report/report_note_model.xml",
        "views/calendar_event_views.xml",
        "views/smartcall_appointment_reassign_views.xml",
        "views/smartcall_appointment_report_views.xml",
        "views/smartcall_appointment_outcome_views.xml",
        "views/smartcall_appointment_state_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "smartcall_agenda/static/src/appointment_form/*",
        ],
        "web.assets_tests": [
            "smartcall_agenda/static/tests/tours/*.js",
        ],
    },
}
