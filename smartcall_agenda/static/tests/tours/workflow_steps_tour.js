import {registry} from "@web/core/registry";

/**
 * Seed 001, the campaign's WORKFLOW: the step bar shows where the operator is (script,
 * agenda, cart, outcome) and F9 / F8 move to the next / previous step; F9 after the last step
 * before Outcome hangs up. The cart filled on the Cart step is the one VEND confirms.
 * Fixtures and server-side checks: smartcall_agenda/tests/test_workflow_steps_tour.py.
 */
registry.category("web_tour.tours").add("smartcall_workflow_steps_tour", {
    url: "/odoo/smartcall_operator_console",
    steps: () => [
        {
            content: "Start",
            trigger: ".o_sc_topbar .o_sc_start:enabled",
            run: "click",
        },
        {
            trigger: ".o_sc_customer_name:contains('Tour Workflow Srl')",
        },
        {
            content: "The step bar lists the campaign's steps in order, on Script",
            trigger:
                ".o_sc_stepbar:has(li:nth-child(1) .o_sc_step_script):has(li:nth-child(2) .o_sc_step_agenda):has(li:nth-child(3) .o_sc_step_cart):has(li:nth-child(4) .o_sc_step_outcome) .o_sc_step_script.o_sc_step_current",
        },
        {
            content: "The keys are shown on the bar",
            trigger: ".o_sc_stepbar .o_sc_step_keys:contains('F9')",
        },
        {
            content: "F9: next step, Agenda",
            trigger: ".o_sc_script",
            run: "press F9",
        },
        {
            trigger: "li[aria-current='step'] .o_sc_step_agenda.o_sc_step_current",
        },
        {
            content:
                "The appointment form is in the console, with the customer's address",
            trigger:
                ".o_sc_agenda_step .o_sc_appointment_form input.o_sc_appt_street.o_sc_prefilled",
        },
        {
            content: "Script is done",
            trigger: ".o_sc_step_script.o_sc_step_done",
        },
        {
            content: "F9: next step, Cart",
            trigger: ".o_sc_agenda_step",
            run: "press F9",
        },
        {
            trigger: ".o_sc_step_cart.o_sc_step_current",
        },
        {
            content: "Choose a product",
            trigger:
                ".o_sc_cart_step .o_sc_cart_product:has(option:contains('Fibra Tour'))",
            run: "selectByLabel Fibra Tour (29.90)",
        },
        {
            trigger: ".o_sc_cart_step .o_sc_cart_add:enabled",
            run: "click",
        },
        {
            trigger: ".o_sc_cart_step .o_sc_cart_line:contains('Fibra Tour')",
        },
        {
            content: "F8: back to Agenda",
            trigger: ".o_sc_cart_step",
            run: "press F8",
        },
        {
            trigger: ".o_sc_step_agenda.o_sc_step_current",
        },
        {
            trigger: ".o_sc_agenda_step .o_sc_appointment_form",
        },
        {
            content: "Click on the Cart step: the line is still there",
            trigger: ".o_sc_stepbar .o_sc_step_cart:enabled",
            run: "click",
        },
        {
            trigger: ".o_sc_cart_step .o_sc_cart_line:contains('Fibra Tour')",
        },
        {
            content: "F9 after the last step before Outcome: hang up",
            trigger: ".o_sc_cart_step",
            run: "press F9",
        },
        {
            content: "Wrap-up: the outcome page, on the Outcome step",
            trigger: ".o_sc_state_badge.o_sc_badge_wrap_up",
        },
        {
            trigger: ".o_sc_outcome_page",
        },
        {
            trigger: ".o_sc_step_outcome.o_sc_step_current",
        },
        {
            content: "The call is closed: the earlier steps cannot be reopened",
            trigger: ".o_sc_step_cart.o_sc_step_done:disabled",
        },
        {
            content: "Type VEND",
            trigger: ".o_sc_outcome_search",
            run: "edit VEND",
        },
        {
            content: "The cart of the Cart step is on the outcome page",
            trigger:
                ".o_sc_outcome_page .o_sc_cart .o_sc_cart_line:contains('Fibra Tour')",
        },
        {
            trigger: ".o_sc_confirm:enabled",
            run: "click",
        },
        {
            content: "Back to the console: the outcome is saved",
            trigger: ".o_sc_state_badge.o_sc_badge_ready",
        },
    ],
});

/**
 * A campaign whose workflow is script, cart, outcome: no Agenda step, no Register
 * appointment; clicking Outcome on the step bar hangs up, and SALEA is not offered.
 */
registry.category("web_tour.tours").add("smartcall_workflow_no_agenda_tour", {
    url: "/odoo/smartcall_operator_console",
    steps: () => [
        {
            content: "Start",
            trigger: ".o_sc_topbar .o_sc_start:enabled",
            run: "click",
        },
        {
            trigger: ".o_sc_customer_name:contains('Tour Senza Agenda Srl')",
        },
        {
            content: "Three steps, no Agenda",
            trigger:
                ".o_sc_stepbar:not(:has(.o_sc_step_agenda)):has(li:nth-child(2) .o_sc_step_cart):has(li:nth-child(3) .o_sc_step_outcome)",
        },
        {
            content: "No Register appointment button on the script screen",
            trigger: ".o_sc_main:has(.o_sc_script):not(:has(.o_sc_appointment))",
        },
        {
            content: "Click Outcome on the step bar: hang up",
            trigger: ".o_sc_stepbar .o_sc_step_outcome:enabled",
            run: "click",
        },
        {
            trigger: ".o_sc_outcome_page .o_sc_quick",
        },
        {
            content: "SALEA is not offered",
            trigger: ".o_sc_outcome_page:not(:has([data-code='SALEA']))",
        },
        {
            trigger: ".o_sc_outcome_search",
            run: "edit NI",
        },
        {
            trigger: ".o_sc_confirm:enabled",
            run: "click",
        },
        {
            trigger: ".o_sc_state_badge.o_sc_badge_ready",
        },
    ],
});
