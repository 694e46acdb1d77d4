import {Component, onWillStart, onWillUnmount, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {rpc} from "@web/core/network/rpc";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

const PREFILLED = ["street", "zip", "city", "province"];

/**
 * "Register appointment" (seed 003, 4.1-4.3), opened from the console's script screen for the
 * held contact: the customer's data pre-filled (green while unchanged), the agents serving the
 * customer's area, the chosen agent's free slots (live: a colleague's booking removes a slot
 * through the bus), channel, the note for the agent and its structured fields. Rules live in
 * smartcall.console / calendar.event; this component only shows and calls them.
 */
export class AppointmentForm extends Component {
    static template = "smartcall_agenda.AppointmentForm";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.busService = useService("bus_service");
        this.contactId = this.props.action.params.contact_id;
        this.state = useState({
            loading: true,
            form: null,
            agenda: null,
            values: {
                agent_id: "",
                date: "",
                time: "",
                street: "",
                zip: "",
                city: "",
                province: "",
                channel: "Smartcall",
                note: "",
                note_values: {},
            },
            showNoteFields: false,
            message: "",
            error: "",
            saving: false,
        });
        this.onAgendaChanged = (payload) => {
            const agentId = parseInt(this.state.values.agent_id, 10);
            if (payload && (payload.agent_ids || []).includes(agentId)) {
                this.loadAgenda();
            }
        };
        this.busService.subscribe("smartcall_agenda/slots", this.onAgendaChanged);
        this.busService.start();
        onWillUnmount(() =>
            this.busService.unsubscribe("smartcall_agenda/slots", this.onAgendaChanged)
        );
        onWillStart(() => this.loadForm());
    }

    call(method, args) {
        return this.orm.call("smartcall.console", method, args);
    }

    async loadForm() {
        const form = await this.call("get_appointment_form", [this.contactId]);
        this.state.form = form;
        const v = this.state.values;
        for (const key of PREFILLED) {
            v[key] = form.customer[key] || "";
        }
        v.date = form.today;
        if (form.held) {
            v.agent_id = String(form.held.agent_id);
            v.date = form.held.date;
            v.time = form.held.time;
            v.channel = form.held.channel || "Smartcall";
            v.note = form.held.note;
            this.state.message = _t("Appointment registered: %(when)s with %(agent)s", {
                when: form.held.label,
                agent: form.held.agent,
            });
        } else if (form.agents.length === 1) {
            v.agent_id = String(form.agents[0].id);
        }
        for (const field of form.note_fields) {
            v.note_values[field.name] = field.type === "boolean" ? false : "";
        }
        this.state.loading = false;
        if (v.agent_id) {
            await this.loadAgenda();
        }
    }

    async loadAgenda() {
        const v = this.state.values;
        if (!v.agent_id) {
            this.state.agenda = null;
            return;
        }
        try {
            this.state.agenda = await this.call("get_agent_agenda", [
                this.contactId,
                parseInt(v.agent_id, 10),
                v.date,
            ]);
            if (v.time && !this.visibleSlots.some((slot) => slot.time === v.time)) {
                v.time = "";
            }
        } catch (error) {
            this.showError(error);
        }
    }

    get visibleSlots() {
        const agenda = this.state.agenda;
        return agenda ? agenda.slots.filter((slot) => slot.free || slot.mine) : [];
    }

    isPrefilled(key) {
        const form = this.state.form;
        return Boolean(
            form && form.customer[key] && this.state.values[key] === form.customer[key]
        );
    }

    isAgentSelected(agent) {
        return String(agent.id) === this.state.values.agent_id;
    }

    toggleNoteFields() {
        this.state.showNoteFields = !this.state.showNoteFields;
    }

    showError(error) {
        this.state.message = "";
        this.state.error =
            (error.data && error.data.message) || error.message || String(error);
    }

    onAgentChange(ev) {
        this.state.values.agent_id = ev.target.value;
        this.state.values.time = "";
        this.loadAgenda();
    }

    onDateChange(ev) {
        this.state.values.date = ev.target.value;
        this.state.values.time = "";
        this.loadAgenda();
    }

    pickSlot(slot) {
        this.state.values.time = slot.time;
        this.state.error = "";
    }

    async composeNote() {
        try {
            const note = await this.call("compose_agent_note", [
                this.state.values.note_values,
            ]);
            if (note) {
                this.state.values.note = note;
            }
        } catch (error) {
            this.showError(error);
        }
    }

    /**
     * Seed 003, 4.3 "SCARICA e STAMPA il modello note": the note of the appointment registered
     * during this call, or the blank model before it, as PDF (HTML when the server cannot
     * make PDFs, to print from the browser) in a new tab.
     */
    async printNoteModel() {
        const held = this.state.form && this.state.form.held;
        const ids = held && held.id ? `/${held.id}` : "";
        // opened at once, within the click: a window opened after an await may be blocked
        const win = window.open("", "_blank");
        let type = "html";
        try {
            const wkhtmltopdf = await rpc("/report/check_wkhtmltopdf");
            if (wkhtmltopdf === "ok" || wkhtmltopdf === "upgrade") {
                type = "pdf";
            }
        } catch {
            type = "html";
        }
        const url = `/report/${type}/smartcall_agenda.report_note_model${ids}`;
        if (win) {
            win.location = url;
        } else {
            window.open(url, "_blank");
        }
    }

    async register() {
        if (this.state.saving) {
            return;
        }
        const v = this.state.values;
        if (!v.agent_id || !v.time) {
            this.state.error = _t("Choose the agent and a free slot in the agenda.");
            return;
        }
        this.state.saving = true;
        this.state.error = "";
        try {
            const result = await this.call("book_appointment", [
                this.contactId,
                {...v, agent_id: parseInt(v.agent_id, 10)},
            ]);
            this.state.message = result.message;
            if (result.appointment) {
                this.state.form.held = result.appointment;
            }
        } catch (error) {
            this.showError(error);
        } finally {
            this.state.saving = false;
        }
        await this.loadAgenda();
    }

    close() {
        this.env.services.action.doAction({type: "ir.actions.act_window_close"});
    }
}

registry.category("actions").add("smartcall_agenda.appointment_form", AppointmentForm);
