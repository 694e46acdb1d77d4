/** @odoo-module **/
// Copyright 2026 Smartcall
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {Component, onWillUnmount} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

const ACTIVE_STATES = ["queued", "running"];
const REFRESH_MS = 2000;

/**
 * Progress of an import job: a bar, rows done and left, the time left; while the job
 * waits or runs, the record reloads every two seconds (the job runs in the cron, so
 * the user can leave the page and come back).
 */
export class SmartcallImportProgressField extends Component {
    static template = "smartcall_campaign.ImportProgressField";
    static props = {...standardFieldProps};

    setup() {
        this.timer = setInterval(() => this.refresh(), REFRESH_MS);
        onWillUnmount(() => clearInterval(this.timer));
    }

    get data() {
        return this.props.record.data;
    }

    get isActive() {
        return ACTIVE_STATES.includes(this.data.state);
    }

    get percent() {
        return Math.min(100, Math.max(0, this.data.progress || 0)).toFixed(0);
    }

    get summary() {
        return _t("%(done)s of %(total)s rows read, %(left)s left", {
            done: this.data.rows_done,
            total: this.data.rows_total,
            left: this.data.rows_left,
        });
    }

    async refresh() {
        if (this.isActive && !this.props.record.dirty) {
            await this.props.record.load();
        }
    }
}

registry.category("fields").add("smartcall_import_progress", {
    component: SmartcallImportProgressField,
    supportedTypes: ["float"],
    fieldDependencies: [
        {name: "state", type: "selection"},
        {name: "rows_done", type: "integer"},
        {name: "rows_left", type: "integer"},
        {name: "rows_total", type: "integer"},
        {name: "estimate", type: "char"},
    ],
});
