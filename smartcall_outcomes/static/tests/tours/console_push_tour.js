import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

/**
 * Issue 12, item 2: the console is pushed, not polled. An idle operator of an automatic
 * campaign with nothing queued; the websocket drops and the console says it polls; it comes
 * back; a supervisor builds the work plan, which queues a new contact: the console shows it at
 * once, long before its 15 s polling would have (it does not poll while the websocket is up).
 * Fixtures: smartcall_outcomes/tests/test_console_push_tour.py.
 */
registry.category("web_tour.tours").add("smartcall_console_push_tour", {
    url: "/odoo/smartcall_operator_console",
    steps: () => [
        {
            content: "The console opens, not started",
            trigger: ".o_sc_console .o_sc_welcome",
        },
        {
            trigger: ".o_sc_campaign_select",
            run: "selectByLabel Push Auto",
        },
        {
            trigger: ".o_sc_topbar .o_sc_start:enabled",
            run: "click",
        },
        {
            content:
                "Nothing is due: the operator waits, the websocket is up (no polling)",
            trigger: ".o_sc_console:not(:has(.o_sc_polling)) .o_sc_waiting",
        },
        {
            content: "The network drops",
            trigger: ".o_sc_waiting",
            run() {
                window.dispatchEvent(new Event("offline"));
            },
        },
        {
            content: "The console says it checks for contacts by itself meanwhile",
            trigger: ".o_sc_polling:contains('every 15 s')",
        },
        {
            content: "The network is back",
            trigger: ".o_sc_waiting",
            run() {
                window.dispatchEvent(new Event("online"));
            },
        },
        {
            content: "Live again: no polling",
            trigger: ".o_sc_console:not(:has(.o_sc_polling)) .o_sc_waiting",
            timeout: 20000,
        },
        {
            content:
                "A supervisor builds the work plan: the new contact enters the queue",
            trigger: ".o_sc_waiting",
            async run() {
                const campaignIds = await rpc(
                    "/web/dataset/call_kw/smartcall.campaign/search",
                    {
                        model: "smartcall.campaign",
                        method: "search",
                        args: [[["name", "=", "Push Auto"]]],
                        kwargs: {},
                    }
                );
                await rpc(
                    "/web/dataset/call_kw/smartcall.campaign/action_build_work_plan",
                    {
                        model: "smartcall.campaign",
                        method: "action_build_work_plan",
                        args: [campaignIds],
                        kwargs: {},
                    }
                );
            },
        },
        {
            content:
                "Pushed: the contact is in the operator's hands (polling would take 15 s)",
            trigger: ".o_sc_customer_name:contains('Push Nuova Srl')",
            timeout: 8000,
        },
    ],
});
