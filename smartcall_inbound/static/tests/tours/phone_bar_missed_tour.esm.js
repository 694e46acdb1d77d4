// Copyright 2026 Smartcall
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";

/* The bus is off under tests: the tour delivers the server's notifications to the phone bar
   service itself, as the bus would: the PBX rings the operator, then the caller hangs up
   before the answer ("smartcall_inbound/closed", missed). */
function phoneBar() {
    return odoo.__WOWL_DEBUG__.root.env.services["smartcall_inbound.phone_bar"];
}

registry.category("web_tour.tours").add("smartcall_inbound_phone_bar_missed_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The phone bar is idle; the PBX rings the operator",
            trigger: ".o_smartcall_phone_bar_available:contains(Available)",
            run() {
                phoneBar().onRinging({
                    call_id: 4242,
                    number: "+390212345678",
                    number_display: "+39 02 1234 5678",
                    called_number: "+390612345678",
                    partner_id: 1,
                    partner_name: "Tour Rossi Srl",
                    candidate_count: 0,
                    campaign_name: "Tour Inbound",
                    holder_name: "Tour Holder",
                    holder_is_me: false,
                    answered: false,
                    ended: false,
                    state: "draft",
                });
            },
        },
        {
            content: "The phone bar rings with the caller",
            trigger:
                ".o_smartcall_phone_bar_ringing:contains(Tour Rossi Srl) .o_smartcall_phone_bar_accept",
            run() {
                phoneBar().onClosed({
                    call_id: 4242,
                    missed: true,
                    number_display: "+39 02 1234 5678",
                    partner_name: "Tour Rossi Srl",
                });
            },
        },
        {
            content:
                "The caller hung up first: the operator is told of the missed call",
            trigger: ".o_notification:contains(Missed call from Tour Rossi Srl)",
        },
        {
            content: "and the phone bar is available again, without the call",
            trigger:
                ".o_smartcall_phone_bar_available:not(:has(.o_smartcall_phone_bar_call))",
        },
    ],
});
