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
    "depends": ["smartcall_voip", "smartcall_outcomes", "mail"],
    "data": [
        "security/ir.model.access.csv",
        "security/smartcall_inbound_security.xml",
        "data/smartcall_inbound_state_data.xml",
        "data/mail_template_data.xml",
        "views/smartcall_inbound_state_views.xml",
        "views/smartcall_inbound_action_views.xml",
        "views/smartcall_inbound_group_views.xml",
        "views/smartcall_campaign_views.xml",
        "views/smartcall_portfolio_assignment_views.xml",
        "views/res_partner_views.xml",
        "views/smartcall_call_views.xml",
        "views/smartcall_inbound_outbound_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_backend": ["smartcall_inbound/static/src/**/*"],
        "web.assets_tests": ["smartcall_inbound/static/tests/tours/**/*"],
    },
}
