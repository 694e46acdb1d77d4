import {Component, onWillStart, useState} from "@odoo/owl";
import {consolePanelRegistry} from "@smartcall_campaign/operator_console/operator_console";

/**
 * Paused for "Private callbacks" (seed 003, 2 and 5 "Come gestire i richiami privati"): the
 * operator's own private callbacks, soonest first; Call puts one in their hands.
 */
export class MyCallbacks extends Component {
    static template = "smartcall_outcomes.MyCallbacks";
    static props = {model: Object, console: Object};

    setup() {
        this.state = useState({rows: [], loading: true, error: ""});
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.rows = await this.props.model.call("list_my_callbacks", []);
            this.state.error = "";
        } catch (error) {
            this.state.error = error.userMessage || error.message;
        } finally {
            this.state.loading = false;
        }
    }

    async callBack(row) {
        try {
            await this.props.model.run("call_callback", [row.contact_id]);
        } catch (error) {
            this.state.error = error.userMessage || error.message;
            await this.load();
        }
    }
}

consolePanelRegistry.add(
    "smartcall_outcomes.my_callbacks",
    {
        Component: MyCallbacks,
        isActive: (model) => {
            const session = model.state.session;
            if (!session || session.state !== "paused" || !session.pause_reason_id) {
                return false;
            }
            const reason = model.state.pauseReasons.find(
                (r) => r.id === session.pause_reason_id
            );
            return Boolean(reason && reason.is_private_callbacks);
        },
    },
    {sequence: 20}
);
