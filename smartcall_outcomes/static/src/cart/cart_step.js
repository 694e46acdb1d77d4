import {Component, onWillStart, useState} from "@odoo/owl";
import {consoleStepRegistry} from "@smartcall_campaign/operator_console/operator_console";
import {newOutcomeDraft} from "../outcome_page/outcome_page";
import {CartEditor} from "./cart_editor";

/**
 * The Cart step of the campaign's workflow (seed 001), during the call: the operator fills the
 * cart while talking; after Hang up, the type C outcome (e.g. VEND) confirms it as a contract.
 */
export class CartStep extends Component {
    static template = "smartcall_outcomes.CartStep";
    static components = {CartEditor};
    static props = {model: Object, console: Object};

    setup() {
        this.state = useState({products: [], error: ""});
        this.draft = useState(
            this.props.model.draftFor(
                this.props.model.state.contact.id,
                newOutcomeDraft
            )
        );
        onWillStart(async () => {
            try {
                const page = await this.props.model.call("get_outcome_page", [
                    this.props.model.state.contact.id,
                ]);
                this.state.products = page.products;
            } catch (error) {
                this.state.error = error.userMessage || error.message;
            }
        });
    }
}

consoleStepRegistry.add("cart", {Component: CartStep});
