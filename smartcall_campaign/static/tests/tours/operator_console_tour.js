import {registry} from "@web/core/registry";

/**
 * Issue 3: an operator logs in, starts, pauses with a reason, starts again, gets a contact,
 * sees the script screen and hangs up. Fixtures: smartcall_campaign/tests/test_console_tour.py.
 */
registry.category("web_tour.tours").add("smartcall_operator_console_tour", {
    url: "/odoo/smartcall_operator_console",
    steps: () => [
        {
            content: "The console opens, not started",
            trigger: ".o_sc_console .o_sc_welcome",
        },
        {
            content: "Choose the manual campaign",
            trigger: ".o_sc_campaign_select",
            run: "selectByLabel Tour Manual",
        },
        {
            content: "Start",
            trigger: ".o_sc_topbar .o_sc_start:enabled",
            run: "click",
        },
        {
            content: "Manual campaign: the operator picks from a searchable list",
            trigger: ".o_sc_contact_picker .o_sc_picker_row:contains('Tour Delta Sas')",
        },
        {
            content: "Pause",
            trigger: ".o_sc_topbar .o_sc_pause:enabled",
            run: "click",
        },
        {
            content: "Pause asks the reason",
            trigger: ".modal .o_sc_pause_reason:contains('Training')",
            run: "click",
        },
        {
            content: "Paused with the reason and a live timer",
            trigger: ".o_sc_state_badge:contains('Paused: Training')",
        },
        {
            trigger: ".o_sc_paused .o_sc_resume",
        },
        {
            content: "Choose the automatic campaign",
            trigger: ".o_sc_campaign_select",
            run: "selectByLabel Tour Auto",
        },
        {
            content: "Start again",
            trigger: ".o_sc_topbar .o_sc_start:enabled",
            run: "click",
        },
        {
            content: "Automatic campaign: the next contact is proposed",
            trigger: ".o_sc_customer_name:contains('Tour Alfa Srl')",
        },
        {
            content: "The script is rendered with the customer's data",
            trigger: ".o_sc_script_body:contains('Buongiorno Tour Alfa Srl di Lucera')",
        },
        {
            content: "Web look-ups open in a new tab",
            trigger: ".o_sc_lookup_google[target='_blank'][href*='google.com/search']",
        },
        {
            trigger: ".o_sc_lookup_maps[target='_blank'][href*='Lucera']",
        },
        {
            content: "The phone is a click-to-dial link",
            trigger: ".o_sc_numbers a.o_sc_dial[href^='tel:+39']",
        },
        {
            content: "Coverage check",
            trigger: ".o_sc_coverage_btn",
            run: "click",
        },
        {
            content: "The customer's street has no data: the municipality's, said so",
            trigger: ".o_sc_coverage td:contains('FTTH')",
        },
        {
            trigger: ".o_sc_coverage .o_sc_coverage_level_municipality",
        },
        {
            content: "Type another address (Verifica Copertura)",
            trigger: ".o_sc_coverage .o_sc_coverage_street",
            run: "edit p.zza duomo",
        },
        {
            trigger: ".o_sc_coverage .o_sc_coverage_number",
            run: "edit 12",
        },
        {
            trigger: ".o_sc_coverage .o_sc_coverage_municipality",
            run: "edit Lucera",
        },
        {
            trigger: ".o_sc_coverage .o_sc_coverage_check:enabled",
            run: "click",
        },
        {
            content: "The street's own data",
            trigger:
                ".o_sc_coverage:has(.o_sc_coverage_level_street):has(.o_sc_coverage_address:contains('p.zza duomo 12, Lucera')) td:contains('Tour street row')",
        },
        {
            content: "A street without data: the municipality's",
            trigger: ".o_sc_coverage .o_sc_coverage_street",
            run: "edit Via Verdi",
        },
        {
            trigger: ".o_sc_coverage .o_sc_coverage_check:enabled",
            run: "click",
        },
        {
            trigger:
                ".o_sc_coverage:has(.o_sc_coverage_level_municipality):has(.o_sc_coverage_address:contains('Via Verdi 12')) td:contains('FTTH')",
        },
        {
            content: "Pause stays available during the call",
            trigger: ".o_sc_topbar .o_sc_pause:enabled",
        },
        {
            content: "Hang up & outcome",
            trigger: ".o_sc_topbar_hangup",
            run: "click",
        },
        {
            content: "The session is in wrap-up",
            trigger: ".o_sc_state_badge.o_sc_badge_wrap_up",
        },
    ],
});
