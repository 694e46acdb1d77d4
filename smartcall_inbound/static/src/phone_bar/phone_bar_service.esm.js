// Copyright 2026 Smartcall
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {reactive} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {user} from "@web/core/user";

/**
 * The phone bar's state (seed 002 PhoneBar): the operator's state and the current inbound
 * call. The server pushes "smartcall_inbound/ringing" when the PBX rings the operator;
 * every rule lives in smartcall.call's methods, this only presents and calls them.
 */
export class PhoneBarState {
    constructor(env, services) {
        this.env = env;
        this.orm = services.orm;
        this.action = services.action;
        this.notification = services.notification;
        this.isOperator = false;
        this.state = "available";
        this.call = null;
        this.busy = false;
    }

    async load() {
        const result = await this.orm.silent.call(
            "smartcall.call",
            "smartcall_inbound_phone_bar_state",
            []
        );
        this.isOperator = result.is_operator;
        this.state = result.state;
        this.call = result.call || null;
    }

    onRinging(payload) {
        this.isOperator = true;
        this.call = payload;
        this.state = payload.answered ? "in_call" : "ringing";
    }

    onUpdated(payload) {
        if (this.call && this.call.call_id === payload.call_id) {
            this.call = payload;
            this.state = payload.answered ? "in_call" : "ringing";
        }
    }

    onClosed(payload) {
        if (!this.call || this.call.call_id === payload.call_id) {
            this.call = null;
            this.state = "available";
        }
        if (payload.missed) {
            // The caller hung up before the operator answered
            this.notification.add(
                _t("Missed call from %(caller)s", {
                    caller: payload.partner_name || payload.number_display,
                }),
                {type: "warning"}
            );
        }
    }

    async accept() {
        if (!this.call || this.busy) {
            return;
        }
        this.busy = true;
        try {
            const action = await this.orm.call(
                "smartcall.call",
                "action_accept_inbound",
                [[this.call.call_id]]
            );
            this.call = {...this.call, answered: true};
            this.state = "in_call";
            await this.action.doAction(action);
        } finally {
            this.busy = false;
        }
    }

    async hangup() {
        if (!this.call || this.busy) {
            return;
        }
        this.busy = true;
        try {
            await this.orm.call("smartcall.call", "action_hangup_inbound", [
                [this.call.call_id],
            ]);
            this.call = {...this.call, ended: true};
        } finally {
            this.busy = false;
        }
    }

    async openCall() {
        if (this.call) {
            await this.action.doAction({
                type: "ir.actions.act_window",
                res_model: "smartcall.call",
                res_id: this.call.call_id,
                views: [[false, "form"]],
                target: "current",
            });
        }
    }

    async register(number) {
        const action = await this.orm.call(
            "smartcall.call",
            "action_register_inbound",
            [number]
        );
        await this.load();
        await this.action.doAction(action);
    }
}

export const phoneBarService = {
    dependencies: ["bus_service", "orm", "action", "notification"],
    start(env, services) {
        const bar = reactive(new PhoneBarState(env, services));
        const {bus_service} = services;
        bus_service.subscribe("smartcall_inbound/ringing", (payload) =>
            bar.onRinging(payload)
        );
        bus_service.subscribe("smartcall_inbound/updated", (payload) =>
            bar.onUpdated(payload)
        );
        bus_service.subscribe("smartcall_inbound/closed", (payload) =>
            bar.onClosed(payload)
        );
        bus_service.start();
        if (user.userId) {
            bar.load();
        }
        return bar;
    },
};

registry.category("services").add("smartcall_inbound.phone_bar", phoneBarService);
