// Copyright 2026 Smartcall
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {SelectCreateDialog} from "@web/views/view_dialogs/select_create_dialog";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";

/** FULL (seed 002): the customer search view, to pick the caller; the number is added. */
export class CallerSearchWidget extends Component {
    static template = "smartcall_inbound.CallerSearchWidget";
    static props = {...standardWidgetProps};

    setup() {
        this.dialog = useService("dialog");
        this.orm = useService("orm");
    }

    async onFull() {
        const record = this.props.record;
        await record.save();
        this.dialog.add(SelectCreateDialog, {
            resModel: "res.partner",
            title: _t("Customer Search"),
            multiSelect: false,
            noCreate: true,
            onSelected: async ([partnerId]) => {
                await this.orm.call("smartcall.call", "action_set_caller", [
                    [record.resId],
                    partnerId,
                ]);
                await record.load();
            },
        });
    }
}

registry.category("view_widgets").add("smartcall_caller_search", {
    component: CallerSearchWidget,
});
