import {Component} from "@odoo/owl";
import {Dialog} from "@web/core/dialog/dialog";
import {useHotkey} from "@web/core/hotkeys/hotkey_hook";

/** Asks why the operator pauses (seed 003, 2: break, training, private callbacks...). */
export class PauseDialog extends Component {
    static template = "smartcall_campaign.PauseDialog";
    static components = {Dialog};
    static props = {
        reasons: Array,
        // asked during a call: the pause starts after its outcome
        afterCall: {type: Boolean, optional: true},
        onChoose: Function,
        close: Function,
    };

    setup() {
        for (const [index, reason] of this.props.reasons.slice(0, 9).entries()) {
            useHotkey(String(index + 1), () => this.choose(reason));
        }
    }

    choose(reason) {
        this.props.close();
        this.props.onChoose(reason);
    }
}
