import {Component, onWillStart, onWillUnmount, useRef, useState} from "@odoo/owl";
import {useAutofocus} from "@web/core/utils/hooks";
import {useDebounced} from "@web/core/utils/timing";

/** Manual campaign: a searchable list of the queued contacts; the operator picks one. */
export class ContactPicker extends Component {
    static template = "smartcall_campaign.ContactPicker";
    static props = {model: Object, onPick: Function};

    setup() {
        this.state = useState({
            search: "",
            rows: [],
            loading: false,
            active: 0,
            error: "",
        });
        this.listRef = useRef("list");
        useAutofocus({refName: "search"});
        this.debouncedLoad = useDebounced(() => this.load(), 250);
        onWillStart(() => this.load());
        // pushed: contacts queued or due, campaign changed
        const stop = this.props.model.onQueueChange(() => this.debouncedLoad());
        onWillUnmount(stop);
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.rows = await this.props.model.call(
                "list_pickable_contacts",
                [this.state.search, 50],
                {silent: true}
            );
            this.state.active = 0;
            this.state.error = "";
        } catch (error) {
            this.state.error = error.userMessage || error.message;
        } finally {
            this.state.loading = false;
        }
    }

    onInput(ev) {
        this.state.search = ev.target.value;
        this.debouncedLoad();
    }

    onKeydown(ev) {
        const rows = this.state.rows;
        if (ev.key === "ArrowDown") {
            ev.preventDefault();
            this.state.active = Math.min(this.state.active + 1, rows.length - 1);
        } else if (ev.key === "ArrowUp") {
            ev.preventDefault();
            this.state.active = Math.max(this.state.active - 1, 0);
        } else if (ev.key === "Enter" && rows[this.state.active]) {
            ev.preventDefault();
            this.pick(rows[this.state.active]);
        }
    }

    pick(row) {
        this.props.onPick(row);
    }
}
