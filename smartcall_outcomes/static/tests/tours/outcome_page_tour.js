import {registry} from "@web/core/registry";

function setValue(selector, value) {
    const el = document.querySelector(selector);
    el.value = value;
    el.dispatchEvent(new Event("input", {bubbles: true}));
    el.dispatchEvent(new Event("change", {bubbles: true}));
}

/**
 * Issue 4: outcome a call with a private CALLBK for tomorrow, then the next contact with SALEA
 * (refused with a clear message: no appointment registered, or no agenda installed; the notes are
 * kept), then NI.
 * During that second call the operator presses Pause (seed 003, 2: at any moment): the call and
 * its outcome go on, pressing again cancels, and after NI the console is paused instead of
 * proposing the third contact.
 * Fixtures and server-side checks: smartcall_outcomes/tests/test_outcome_tour.py.
 */
registry.category("web_tour.tours").add("smartcall_outcome_page_tour", {
    url: "/odoo/smartcall_operator_console",
    steps: () => [
        {
            content: "Start",
            trigger: ".o_sc_topbar .o_sc_start:enabled",
            run: "click",
        },
        {
            content: "The first contact is proposed",
            trigger: ".o_sc_customer_name:contains('Tour Alfa Srl')",
        },
        {
            content: "Yesterday's call: date, operator, outcome and note",
            trigger:
                ".o_sc_notes_history li:contains('sc_tour_outcomes'):contains(' · '):contains('Segreteria: richiamare dopo le 10')",
        },
        {
            content: "Hang up & outcome",
            trigger: ".o_sc_topbar_hangup",
            run: "click",
        },
        {
            content: "Back to customer (TORNA ALL'ANAGRAFICA)",
            trigger: ".o_sc_outcome_page .o_sc_back_to_customer",
            run: "click",
        },
        {
            content:
                "The customer record, read-only, with ENLARGE (INGRANDISCI) to go back",
            trigger: ".o_sc_outcome_page .o_sc_customer_name:contains('Tour Alfa Srl')",
        },
        {
            trigger: ".o_sc_outcome_page .o_sc_enlarge:contains('ENLARGE')",
            run: "click",
        },
        {
            content: "The outcome page shows the quick buttons",
            trigger: ".o_sc_outcome_page .o_sc_quick[data-code='CALLBK']",
            run: "click",
        },
        {
            content: "Private callback",
            trigger: ".o_sc_callback .o_sc_callback_private",
            run: "check",
        },
        {
            content: "Tomorrow at 10:30",
            trigger: ".o_sc_callback .o_sc_callback_date:enabled",
            run() {
                const today = document
                    .querySelector(".o_sc_callback_date")
                    .getAttribute("min");
                const tomorrow = new Date(`${today}T12:00:00Z`);
                tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
                setValue(".o_sc_callback_date", tomorrow.toISOString().slice(0, 10));
                setValue(".o_sc_callback_time", "10:30");
            },
        },
        {
            trigger: ".o_sc_callback .o_sc_callback_note",
            run: "edit Ask for Mr Alfa",
        },
        {
            trigger: ".o_sc_notes_input",
            run: "edit Owner busy, call back tomorrow morning",
        },
        {
            content: "Double-click confirms",
            trigger: ".o_sc_quick[data-code='CALLBK'].o_sc_selected",
            run: "dblclick",
        },
        {
            content: "Automatic campaign: the next contact is already there",
            trigger: ".o_sc_customer_name:contains('Tour Beta Snc')",
        },
        {
            content: "Pause during the call",
            trigger: ".o_sc_topbar .o_sc_pause:enabled",
            run: "click",
        },
        {
            content: "The dialog says the call goes on",
            trigger: ".modal .o_sc_pause_after_call",
        },
        {
            trigger: ".modal .o_sc_pause_reason:contains('Break')",
            run: "click",
        },
        {
            content: "The pause waits for the outcome, plainly shown",
            trigger:
                ".o_sc_topbar .o_sc_pause_pending:contains('Pause after this call'):contains('Break')",
        },
        {
            content: "The call goes on",
            trigger: ".o_sc_state_badge.o_sc_badge_in_call",
        },
        {
            content: "Pressing it again cancels the pause",
            trigger: ".o_sc_topbar .o_sc_pause_pending:enabled",
            run: "click",
        },
        {
            content: "F2: Pause again",
            trigger: ".o_sc_topbar .o_sc_pause:not(.o_sc_pause_pending):enabled",
            run: "press F2",
        },
        {
            trigger: ".modal .o_sc_pause_reason:contains('Break')",
            run: "click",
        },
        {
            trigger:
                ".o_sc_topbar .o_sc_pause_pending:contains('Pause after this call'):contains('Break')",
        },
        {
            content: "F4: hang up & outcome",
            trigger: ".o_sc_topbar_hangup",
            run: "press F4",
        },
        {
            content: "Wrap-up: the pause still waits for the outcome",
            trigger: ".o_sc_state_badge.o_sc_badge_wrap_up",
        },
        {
            trigger:
                ".o_sc_topbar .o_sc_pause_pending:contains('Pause after this call'):contains('Break')",
        },
        {
            trigger: ".o_sc_outcome_page .o_sc_quick[data-code='SALEA']",
            run: "click",
        },
        {
            trigger: ".o_sc_notes_input",
            run: "edit Appointment agreed for Thursday",
        },
        {
            content: "SALEA selected: confirm",
            trigger: ".o_sc_quick[data-code='SALEA'].o_sc_selected",
            run: "click",
        },
        {
            trigger: ".o_sc_confirm:enabled",
            run: "click",
        },
        {
            content:
                "Without a registered appointment the server refuses SALEA clearly",
            trigger:
                ".o_sc_outcome_error:contains('no registered appointment'), .o_sc_outcome_error:contains('Smartcall Agenda')",
        },
        {
            content: "What the operator typed is still there",
            trigger: ".o_sc_notes_input",
            run() {
                const value = document.querySelector(".o_sc_notes_input").value;
                if (value !== "Appointment agreed for Thursday") {
                    throw new Error(`The notes were lost: "${value}"`);
                }
            },
        },
        {
            content: "Search the outcome list",
            trigger: ".o_sc_outcome_search",
            run: "edit interested",
        },
        {
            content: "Double-click NI",
            trigger: ".o_sc_outcome_item[data-code='NI']",
            run: "dblclick",
        },
        {
            content: "The pause asked during the call starts: no next contact",
            trigger: ".o_sc_paused:contains('Paused: Break')",
        },
        {
            trigger: ".o_sc_state_badge.o_sc_badge_paused:contains('Paused: Break')",
        },
    ],
});
