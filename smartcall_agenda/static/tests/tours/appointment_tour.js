import {registry} from "@web/core/registry";

function setValue(selector, value) {
    const el = document.querySelector(selector);
    el.value = value;
    el.dispatchEvent(new Event("input", {bubbles: true}));
    el.dispatchEvent(new Event("change", {bubbles: true}));
}

/**
 * Seed 003, 4.2: during the call the operator presses Register appointment, checks the
 * pre-filled data, chooses the agent, the next working day and a free slot, writes the note,
 * registers ("Appointment registered successfully"), hangs up and confirms SALEA.
 * Fixtures and server-side checks: smartcall_agenda/tests/test_appointment_tour.py.
 */
registry.category("web_tour.tours").add("smartcall_agenda_appointment_tour", {
    url: "/odoo/smartcall_operator_console",
    steps: () => [
        {
            content: "Start",
            trigger: ".o_sc_topbar .o_sc_start:enabled",
            run: "click",
        },
        {
            trigger: ".o_sc_customer_name:contains('Tour Agenda Srl')",
        },
        {
            content: "Register appointment (green button under the script)",
            trigger: ".o_sc_appointment:enabled",
            run: "click",
        },
        {
            content: "The appointment form opens",
            trigger: ".o_sc_appointment_form .o_sc_appt_register",
        },
        {
            content: "The customer's address is pre-filled and shown as such",
            trigger: ".o_sc_appointment_form input.o_sc_appt_street.o_sc_prefilled",
        },
        {
            content: "Choose the agent",
            trigger: ".o_sc_appt_agent:has(option:contains('Agente Tour'))",
            run: "selectByLabel Agente Tour",
        },
        {
            content: "The next working day",
            trigger: ".o_sc_appt_date",
            run() {
                const today = document
                    .querySelector(".o_sc_appt_date")
                    .getAttribute("min");
                const day = new Date(`${today}T12:00:00Z`);
                do {
                    day.setUTCDate(day.getUTCDate() + 1);
                } while ([0, 6].includes(day.getUTCDay()));
                setValue(".o_sc_appt_date", day.toISOString().slice(0, 10));
            },
        },
        {
            content: "Pick the 10:00 slot",
            trigger: ".o_sc_appt_slot[data-time='10:00']",
            run: "click",
        },
        {
            trigger: ".o_sc_appt_slot.btn-primary[data-time='10:00']",
        },
        {
            content: "Note for the agent",
            trigger: ".o_sc_appt_note",
            run: "edit Parlato con il titolare, fattura richiesta",
        },
        {
            content: "Register",
            trigger: ".o_sc_appt_register:enabled",
            run: "click",
        },
        {
            content: "The green confirmation",
            trigger:
                ".o_sc_appointment_ok:contains('Appointment registered successfully')",
        },
        {
            content: "The held slot is still shown as mine",
            trigger: ".o_sc_appt_slot[data-time='10:00']",
        },
        {
            trigger: ".o_sc_appt_close",
            run: "click",
        },
        {
            content: "Hang up & outcome",
            trigger: ".o_sc_topbar_hangup",
            run: "click",
        },
        {
            trigger: ".o_sc_outcome_page .o_sc_quick[data-code='SALEA']",
            run: "click",
        },
        {
            trigger: ".o_sc_quick[data-code='SALEA'].o_sc_selected",
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
