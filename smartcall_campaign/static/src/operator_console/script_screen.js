import {Component, markup, useEffect, useRef, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {useService} from "@web/core/utils/hooks";

/**
 * The multifunction script screen (seed 003, 2.1-2.3): customer data, web look-ups, the rendered
 * script and the available operations. With `readonly` (outcome page, "Back to customer") it only
 * shows the customer and the script.
 */
export class ScriptScreen extends Component {
    static template = "smartcall_campaign.ScriptScreen";
    static props = {
        model: Object,
        contact: Object,
        readonly: {type: Boolean, optional: true},
    };

    setup() {
        this.notification = useService("notification");
        this.action = useService("action");
        this.mobileInput = useRef("mobileInput");
        this.ui = useState({
            open: null, // "coverage" | "carriers" | "mobile"
            mobile: "",
            dtmf: "",
            error: "",
            dtmfMessage: "",
        });
        this.coverageStreet = useRef("coverageStreet");
        // Verifica Copertura: the address typed, and the last answer (null: the customer's)
        this.coverage = useState({
            street: "",
            number: "",
            municipality: "",
            result: null,
            loading: false,
        });
        // the coverage form opens with the cursor in the street (it is rendered after toggle)
        useEffect(
            (open) => {
                if (open === "coverage" && this.coverageStreet.el) {
                    this.coverageStreet.el.focus();
                }
            },
            () => [this.ui.open]
        );
    }

    get contact() {
        return this.props.contact;
    }

    get model() {
        return this.props.model;
    }

    get partner() {
        return this.contact.partner || {};
    }

    get address() {
        const p = this.partner;
        const cityLine = [p.zip, p.city, p.province ? `(${p.province})` : ""]
            .filter(Boolean)
            .join(" ");
        return [p.street, cityLine].filter(Boolean).join(", ");
    }

    /** A note of the history is plain text (older payloads) or {date, operator, outcome, text}. */
    isTextNote(note) {
        return typeof note === "string";
    }

    /** "24/11/2026 10:15 · Giulia Ferraro": what the template cannot compute (no globals). */
    noteHeader(note) {
        return [note.date, note.operator].filter(Boolean).join(" · ");
    }

    get phones() {
        return (this.contact.numbers || []).filter((n) => n.kind !== "mobile");
    }

    get mobiles() {
        return (this.contact.numbers || []).filter((n) => n.kind === "mobile");
    }

    get firstPhone() {
        return this.phones.find((n) => !n.blacklisted);
    }

    get firstMobile() {
        return this.mobiles.find((n) => !n.blacklisted);
    }

    get scriptHtml() {
        // sanitized by the server (fields.Html + escaped placeholders)
        return markup(this.contact.script_html || "");
    }

    /** Register appointment: the agenda is installed and the campaign has the Agenda step. */
    get agendaAvailable() {
        return (
            Boolean(this.model.state.features.agenda) && this.model.hasStep("agenda")
        );
    }

    /** A campaign without the Agenda step offers no booking: the button is not shown. */
    get showAppointment() {
        return !this.model.state.features.agenda || this.agendaAvailable;
    }

    get recallMobileTitle() {
        return this.firstMobile
            ? _t("Call the mobile number")
            : _t("No mobile number yet: add one");
    }

    get appointmentTitle() {
        return this.agendaAvailable
            ? _t("Open the appointment form")
            : _t(
                  "Appointments need the Smartcall Agenda module, which is not installed"
              );
    }

    telUrl(number) {
        return `tel:${number.e164}`;
    }

    toggle(section) {
        this.ui.open = this.ui.open === section ? null : section;
        this.ui.error = "";
        if (this.ui.open === "mobile") {
            setTimeout(() => this.mobileInput.el && this.mobileInput.el.focus());
        }
        if (this.ui.open === "coverage") {
            const address = this.contact.coverage_address || {};
            Object.assign(this.coverage, {
                street: address.street || "",
                number: address.number || "",
                municipality: address.municipality || this.partner.city || "",
                result: null,
            });
        }
    }

    /** The coverage shown: the last address checked, else the customer's (in the payload). */
    get coverageResult() {
        return (
            this.coverage.result || {
                address: this.address || this.partner.city || "",
                level: this.contact.coverage_level || "",
                rows: this.contact.coverage || [],
            }
        );
    }

    /** Verifica Copertura (seed 003, 2.3) at the address the operator typed. */
    async checkCoverage(ev) {
        if (ev) {
            ev.preventDefault();
        }
        this.coverage.loading = true;
        this.ui.error = "";
        try {
            this.coverage.result = await this.model.call("check_coverage", [
                {
                    street: this.coverage.street,
                    number: this.coverage.number,
                    municipality: this.coverage.municipality,
                },
            ]);
        } catch (error) {
            this.showError(error);
        } finally {
            this.coverage.loading = false;
        }
    }

    showError(error) {
        this.ui.error = error.userMessage || error.message;
    }

    async dial(number, ev) {
        if (ev) {
            ev.preventDefault();
        }
        if (!number || number.blacklisted) {
            return;
        }
        this.ui.error = "";
        try {
            const result = await this.model.call("dial", [
                this.contact.id,
                number.e164,
            ]);
            if (result && result.mode === "tel" && result.url) {
                // hand the number to the softphone registered for tel: links
                const link = document.createElement("a");
                link.href = result.url;
                link.click();
            } else {
                this.notification.add(
                    _t("Calling %(number)s...", {
                        number: number.display || number.e164,
                    }),
                    {type: "info"}
                );
            }
        } catch (error) {
            this.showError(error);
        }
    }

    async recallFixed() {
        if (this.firstPhone) {
            await this.dial(this.firstPhone);
        }
    }

    async recallMobile() {
        if (this.firstMobile) {
            await this.dial(this.firstMobile);
        } else {
            this.toggle("mobile");
        }
    }

    async addMobile(ev) {
        if (ev) {
            ev.preventDefault();
        }
        const number = this.ui.mobile.trim();
        if (!number) {
            return;
        }
        try {
            const contact = await this.model.call("add_mobile", [
                this.contact.id,
                number,
            ]);
            this.model.state.contact = contact;
            this.ui.mobile = "";
            this.ui.open = null;
            this.ui.error = "";
            this.notification.add(_t("Mobile number added."), {type: "success"});
        } catch (error) {
            this.showError(error);
        }
    }

    async hangup() {
        await this.env.smartcallConsole.hangup();
    }

    async sendDtmf(ev) {
        if (ev) {
            ev.preventDefault();
        }
        const digits = this.ui.dtmf.trim();
        if (!digits) {
            return;
        }
        try {
            const result = await this.model.call("send_dtmf", [
                this.contact.id,
                digits,
            ]);
            this.ui.dtmfMessage =
                (result && result.message) ||
                (result && result.sent ? _t("Tones sent: %(digits)s", {digits}) : "");
            if (result && result.sent) {
                this.ui.dtmf = "";
            }
        } catch (error) {
            this.showError(error);
        }
    }

    async registerAppointment() {
        if (!this.agendaAvailable) {
            return;
        }
        try {
            const action = await this.model.call("register_appointment", [
                this.contact.id,
            ]);
            if (action) {
                await this.action.doAction(action);
            }
        } catch (error) {
            this.showError(error);
        }
    }

    coverageLabel(row) {
        return (row.technology || "").toUpperCase();
    }
}
