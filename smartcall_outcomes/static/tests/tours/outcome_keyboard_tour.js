import {registry} from "@web/core/registry";

function assertFocused(selector) {
    const active = document.activeElement;
    if (!active || !active.matches(selector)) {
        throw new Error(
            `The focus should be on ${selector}, it is on ${active && active.outerHTML.slice(0, 120)}`
        );
    }
}

function typeSteps(text) {
    return [...text].map((key) => ({
        content: `Type "${key}"`,
        trigger: ".o_sc_outcome_search",
        run: `press ${key}`,
    }));
}

/**
 * Issue 13, item 6: a whole manual call, from Start to the next contact, with the keyboard only
 * (every step is a key press on the focused element: no click, no "edit", no value set by
 * script). F2 starts, Enter picks the first contact, F4 hangs up, the outcome search has the
 * focus, typing "ni" highlights NI and Enter confirms it; on the second contact typing "no"
 * highlights NOCOP, the arrows move through the filtered list and Enter confirms the
 * highlighted one; on the third the digit 4 picks the fourth quick button and Enter confirms.
 * Fixtures and server-side checks: smartcall_outcomes/tests/test_outcome_keyboard_tour.py.
 */
registry.category("web_tour.tours").add("smartcall_outcome_keyboard_tour", {
    url: "/odoo/smartcall_operator_console",
    steps: () => [
        {
            content: "The console opens, not started",
            trigger: ".o_sc_console .o_sc_welcome .o_sc_start_big:enabled",
        },
        {
            content: "F2: Start",
            trigger: ".o_sc_topbar .o_sc_start:enabled",
            run: "press F2",
        },
        // ---- first contact: type the code, Enter ----
        {
            content:
                "Manual campaign: the picker's search has the focus, first row active",
            trigger: ".o_sc_contact_picker .o_sc_picker_row.active",
            run() {
                assertFocused(".o_sc_picker_search");
            },
        },
        {
            content: "Enter: call the first contact",
            trigger: ".o_sc_contact_picker .o_sc_picker_row.active",
            run: "press Enter",
        },
        {
            content: "In call",
            trigger: ".o_sc_state_badge.o_sc_badge_in_call",
        },
        {
            content: "F4: hang up & outcome",
            trigger: ".o_sc_topbar_hangup",
            run: "press F4",
        },
        {
            content: "The outcome search has the focus when the page opens",
            trigger: ".o_sc_outcome_page .o_sc_outcome_item",
            run() {
                assertFocused(".o_sc_outcome_search");
            },
        },
        {
            content: "The quick buttons show their digits",
            trigger: ".o_sc_quick[data-key='1'] kbd.o_sc_quick_key:contains('1')",
        },
        ...typeSteps("ni"),
        {
            content: "Typing the code filters the list and highlights NI",
            trigger: ".o_sc_outcome_item.active[data-code='NI']",
            run() {
                assertFocused(".o_sc_outcome_search");
            },
        },
        {
            content: "Enter confirms NI",
            trigger: ".o_sc_outcome_item.active[data-code='NI']",
            run: "press Enter",
        },
        // ---- second contact: filter, arrows, Enter ----
        {
            content: "Ready again: the picker has the focus",
            trigger: ".o_sc_contact_picker .o_sc_picker_row.active",
            run() {
                assertFocused(".o_sc_picker_search");
            },
        },
        {
            content: "Enter: call the next contact",
            trigger: ".o_sc_contact_picker .o_sc_picker_row.active",
            run: "press Enter",
        },
        {
            trigger: ".o_sc_state_badge.o_sc_badge_in_call",
            run: "press F4",
        },
        {
            trigger: ".o_sc_outcome_page .o_sc_outcome_item",
            run() {
                assertFocused(".o_sc_outcome_search");
            },
        },
        ...typeSteps("no"),
        {
            content: "The first code starting with NO is highlighted",
            trigger: ".o_sc_outcome_item.active[data-code='NOCOP']",
            run: "press ArrowDown",
        },
        {
            content: "ArrowDown moves to the next outcome of the filtered list",
            trigger:
                ".o_sc_outcome_item[data-code='NOCOP'] + .o_sc_outcome_item.active",
            run: "press ArrowDown",
        },
        {
            content: "ArrowDown again",
            trigger:
                ".o_sc_outcome_item[data-code='NOCOP'] + .o_sc_outcome_item + .o_sc_outcome_item.active",
            run: "press ArrowUp",
        },
        {
            content: "ArrowUp comes back; the focus stayed in the search",
            trigger:
                ".o_sc_outcome_item[data-code='NOCOP'] + .o_sc_outcome_item.active",
            run() {
                assertFocused(".o_sc_outcome_search");
            },
        },
        {
            content: "Enter confirms the highlighted outcome",
            trigger:
                ".o_sc_outcome_item[data-code='NOCOP'] + .o_sc_outcome_item.active",
            run: "press Enter",
        },
        // ---- third contact: a digit picks a quick button ----
        {
            trigger: ".o_sc_contact_picker .o_sc_picker_row.active",
            run: "press Enter",
        },
        {
            trigger: ".o_sc_state_badge.o_sc_badge_in_call",
            run: "press F4",
        },
        {
            trigger: ".o_sc_outcome_page .o_sc_outcome_item",
            run() {
                assertFocused(".o_sc_outcome_search");
            },
        },
        {
            content: "4: the fourth quick button",
            trigger: ".o_sc_quick[data-key='4']",
            run: "press 4",
        },
        {
            content: "It is selected, the search stays empty",
            trigger: ".o_sc_quick.o_sc_selected[data-key='4']",
            run() {
                if (document.querySelector(".o_sc_outcome_search").value) {
                    throw new Error("The digit was typed into the search");
                }
            },
        },
        {
            content: "Enter confirms it",
            trigger: ".o_sc_quick.o_sc_selected[data-key='4']",
            run: "press Enter",
        },
        {
            content: "Back to the picker: nobody left to call",
            trigger: ".o_sc_contact_picker:contains('No contact waiting')",
        },
    ],
});
