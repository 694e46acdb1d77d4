# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Smartcall VoIP",
    "summary": "Asterisk over AMI: click-to-dial, hang-up, DTMF, automatic dialer",
    "version": "18.0.1.0.0",
    "category": "Sales/Call Center",
    "website": "https://github.com/smartcall/smartcall-odoo",
    "author": "Smartcall",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["smartcall_outcomes", "bus", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/smartcall_voip_security.xml",
        "security/ir.model.access.csv",
        "security/smartcall_voip_rules.xml",
        "views/smartcall_pbx_views.xml",
        "views/res_users_views.xml",
    ],
    "assets": {
        "web.assets_backend": ["smartcall_voip/static/src/**/*"],
    },
}
