// Copyright 2026 Smartcall
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";

/* The bus is off under tests: the tour delivers the server's "smartcall_inbound/ringing"
   notification to the phone bar service itself, as the bus would. */
function phoneBar() {
    return odoo.__WOWL_DEBUG__.root.env.services["smartcall_inbound.phone_bar"];
}

function pick(field, text) {
    return [
        {
            trigger: `.o_field_widget[name=${field}] input`,
            run: `edit ${text}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${text})`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("smartcall_inbound_phone_bar_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The phone bar is idle",
            trigger: ".o_smartcall_phone_bar_available:contains(Available)",
            async run() {
                const orm = odoo.__WOWL_DEBUG__.root.env.services.orm;
                const [call] = await orm.searchRead(
                    "smartcall.call",
                    [["inbound_unique_id", "=", "tour-ring-1"]],
                    ["id"]
                );
                phoneBar().onRinging({
                    call_id: call.id,
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
            content: "The call rings, with the caller and the portfolio holder",
            trigger:
                ".o_smartcall_phone_bar_ringing:contains(+39 02 1234 5678):contains(Tour Rossi Srl) .o_smartcall_phone_bar_holder:contains(Tour Holder)",
        },
        {
            content: "Accept the call",
            trigger: ".o_smartcall_phone_bar_accept",
            run: "click",
        },
        {
            content: "The inbound call form opens on the caller",
            trigger:
                ".o_smartcall_inbound_form .o_field_widget[name=partner_id] input:value(Tour Rossi Srl)",
        },
        {
            trigger: ".o_smartcall_phone_bar_in_call:contains(In call)",
        },
        ...pick("inbound_state_id", "OK"),
        ...pick("inbound_action_id", "Tour brochure"),
        ...pick("inbound_group_id", "Tour billing"),
        ...pick("inbound_group_detail_id", "Tour wrong invoice"),
        {
            trigger: ".o_field_widget[name=caller_first_name] input",
            run: "edit Mario",
        },
        {
            trigger: ".o_field_widget[name=caller_last_name] input",
            run: "edit Rossi",
        },
        {
            trigger: ".o_field_widget[name=privacy_consent] input[data-value=given]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=document_type] select",
            run: 'select "id_card"',
        },
        {
            trigger: ".o_field_widget[name=document_number] input",
            run: "edit CA12345AB",
        },
        {
            content: "Close without notes: refused, naming the field",
            trigger: ".o_smartcall_inbound_close",
            run: "click",
        },
        {
            trigger: ".modal:contains(fill in: Notes) .modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=notes] textarea",
            run: "edit Asked for the new price list",
        },
        {
            trigger: ".o_smartcall_inbound_close",
            run: "click",
        },
        {
            content: "The call is closed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
    ],
});
