// Copyright 2026 Smartcall
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {Component, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

const STATE_LABELS = {
    available: _t("Available"),
    ringing: _t("Ringing"),
    in_call: _t("In call"),
    paused: _t("Paused"),
};

/** The phone bar in the systray: state, current call, accept, hang-up, manual call. */
export class PhoneBar extends Component {
    static template = "smartcall_inbound.PhoneBar";
    static props = [];

    setup() {
        this.bar = useState(useService("smartcall_inbound.phone_bar"));
        this.ui = useState({registering: false, number: ""});
    }

    get stateLabel() {
        return STATE_LABELS[this.bar.state] || this.bar.state;
    }

    toggleRegister() {
        this.ui.registering = !this.ui.registering;
    }

    async onRegister(ev) {
        ev.preventDefault();
        await this.bar.register(this.ui.number);
        this.ui.registering = false;
        this.ui.number = "";
    }
}

registry
    .category("systray")
    .add("smartcall_inbound.PhoneBar", {Component: PhoneBar}, {sequence: 25});
