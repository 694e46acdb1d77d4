import {registry} from "@web/core/registry";

/** "MM/DD/YYYY 15:00:00" three days from now (the agent's reschedule date, en_US format). */
function rescheduleDate() {
    const day = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    const pad = (n) => String(n).padStart(2, "0");
    return `${pad(day.getMonth() + 1)}/${pad(day.getDate())}/${day.getFullYear()} 15:00:00`;
}

/** Let the test take a screenshot of what the agent sees now (see the Python test). */
function screenshot(name) {
    return {
        content: `Screenshot: ${name}`,
        trigger: "body",
        async run() {
            console.log(`smartcall-screenshot:${name}`);
            await new Promise((resolve) => setTimeout(resolve, 700));
        },
    };
}

/**
 * Seed 004, the field agent on the phone (390x844, touch): My Appointments lists today's and
 * the coming appointments with the map link and the tap-to-call number; from the list, three
 * taps (Outcome on the card, the KO state, Save) plus the two answers the state asks for (its
 * characteristic and the reschedule date) record the KO. Checks: test_field_agent_phone.py.
 */
registry.category("web_tour.tours").add("smartcall_field_agent_phone_tour", {
    url: "/odoo/action-smartcall_agenda.smartcall_my_appointment_action",
    steps: () => [
        {
            content: "Phone layout: the web client is in its small-screen mode",
            trigger: ".o_web_client .o_kanban_view.o_sc_agent_kanban",
        },
        {
            content:
                "Today's appointment, with its map link and its tap-to-call number",
            trigger:
                ".o_kanban_record:contains('Bar Sport Lucera'):has(a.o_sc_map_link[href*='google.com/maps']):has(a.o_sc_tel_link[href^='tel:'])",
        },
        {
            content: "Only the agent's own appointments",
            trigger:
                ".o_kanban_view:not(:has(.o_kanban_record:contains('Cliente Collega')))",
        },
        screenshot("list"),
        {
            content: "Tap 1: Outcome on today's appointment",
            trigger: ".o_kanban_record:contains('Bar Sport Lucera') .o_sc_set_outcome",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=bo_state_id] .o_radio_input",
        },
        {
            content: "Tap 2: the KO state that asks for a reschedule date",
            trigger:
                ".modal .o_field_widget[name=bo_state_id] .o_radio_item:contains('KO - rifissare') input",
            run: "click",
        },
        {
            content: "The reschedule date (App. Rifissare) is asked",
            trigger: ".modal .o_field_widget[name=reschedule_date] input",
            run: `edit ${rescheduleDate()}`,
        },
        {
            content: "The state's characteristic to answer",
            trigger:
                ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Motivo')",
        },
        {
            content: "Answer it (typed, in place)",
            trigger:
                ".modal .o_field_widget[name=line_ids] .o_data_row:contains('Motivo') .o_data_cell[name=value]",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=value] input",
            run: "edit Cliente fuori sede",
        },
        screenshot("outcome"),
        {
            content: "Tap 3: Save",
            trigger: ".modal .o_sc_outcome_save",
            run: "click",
        },
        {
            content: "Back on the list, the appointment shows its new state",
            trigger:
                ".o_kanban_record:contains('Bar Sport Lucera'):contains('KO - rifissare')",
        },
        screenshot("after"),
    ],
});
