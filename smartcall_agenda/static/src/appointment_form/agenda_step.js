import {Component} from "@odoo/owl";
import {consoleStepRegistry} from "@smartcall_campaign/operator_console/operator_console";
import {AppointmentForm} from "./appointment_form";

/**
 * The Agenda step of the campaign's workflow (seed 001, seed 004 "Step Agenda"): the
 * appointment form of the held contact, inside the console instead of a dialog.
 */
export class AgendaStep extends Component {
    static template = "smartcall_agenda.AgendaStep";
    static components = {AppointmentForm};
    static props = {model: Object, console: Object};

    get action() {
        return {params: {contact_id: this.props.model.state.contact.id}};
    }
}

consoleStepRegistry.add("agenda", {Component: AgendaStep});
