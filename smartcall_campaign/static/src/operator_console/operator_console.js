import {
    Component,
    onMounted,
    onWillStart,
    onWillUnmount,
    useExternalListener,
    useState,
    useSubEnv,
} from "@odoo/owl";
import {browser} from "@web/core/browser/browser";
import {ConfirmationDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {useHotkey} from "@web/core/hotkeys/hotkey_hook";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {user} from "@web/core/user";
import {useService} from "@web/core/utils/hooks";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";
import {ContactPicker} from "./contact_picker";
import {ConsoleModel, ConsoleOfflineError, formatDuration} from "./console_model";
import {PauseDialog} from "./pause_dialog";
import {ScriptScreen} from "./script_screen";

/**
 * Panels other addons plug into the console. An entry is
 * `{ Component, isActive(model) => bool }`; the first active one (by sequence) replaces the
 * script screen and receives the props `{ model, console }`. smartcall_outcomes adds its
 * outcome page here, active while the session is in wrap-up.
 */
export const consolePanelRegistry = registry.category("smartcall.console_panels");

/**
 * What the console shows on each step of the campaign's workflow during the call (seed 001):
 * `{ Component }` under the step's key, receiving the props `{ model, console }`.
 * smartcall_agenda adds "agenda", smartcall_outcomes "cart"; "script" is the script screen and
 * "outcome" the outcome page (after Hang up).
 */
export const consoleStepRegistry = registry.category("smartcall.console_steps");

const STATE_LABELS = {
    ready: _t("Ready"),
    paused: _t("Paused"),
    in_call: _t("In call"),
    wrap_up: _t("Wrap-up"),
    closed: _t("Not started"),
};

/**
 * The operator console (seed 003): Start / Pause, the next contact, the script screen, Hang up &
 * outcome, Logout. Function keys (F2, F3, F4, F8, F9) are not accepted by the web client's
 * hotkey service, so they are read from a keydown listener; Enter/Escape/digits go through
 * useHotkey. The step bar shows the campaign's workflow (seed 001); F8 / F9 move to the
 * previous / next step, and the next step after the last one before Outcome hangs up (F4).
 */
export class OperatorConsole extends Component {
    static template = "smartcall_campaign.OperatorConsole";
    static components = {ScriptScreen, ContactPicker};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.action = useService("action");
        this.dialog = useService("dialog");
        this.user = user;
        this.model = new ConsoleModel(this.orm, useService("bus_service"));
        this.state = useState(this.model.state);
        this.ui = useState({error: ""});
        useSubEnv({smartcallConsole: this});

        onWillStart(async () => {
            try {
                await this.model.load();
            } catch (error) {
                this.ui.error = error.userMessage || error.message;
            }
        });
        onMounted(() => this.model.startTimers());
        onWillUnmount(() => this.model.stopTimers());
        useExternalListener(window, "keydown", this.onFunctionKey.bind(this), {
            capture: true,
        });
        useHotkey("alt+n", () => this.nextContact(), {
            isAvailable: () => this.canAskNext,
        });
    }

    // ------------------------------------------------------------------
    // Getters for the template
    // ------------------------------------------------------------------

    get sessionState() {
        return this.model.sessionState;
    }

    get stateLabel() {
        const session = this.state.session;
        let label = STATE_LABELS[this.sessionState] || this.sessionState;
        if (this.sessionState === "paused" && session && session.pause_reason) {
            label = `${label}: ${session.pause_reason}`;
        }
        return label;
    }

    get timeInState() {
        return formatDuration(this.model.secondsInState);
    }

    get totals() {
        return ["ready", "paused", "in_call", "wrap_up"].map((key) => ({
            key,
            label: STATE_LABELS[key],
            value: formatDuration(this.model.totalFor(key)),
        }));
    }

    get campaign() {
        return this.model.campaign;
    }

    get isManual() {
        return this.campaign && this.campaign.mode === "manual";
    }

    get canToggle() {
        // during a call Pause (or its cancellation) needs no campaign choice
        return !this.state.busy && (this.model.holdsContact || Boolean(this.campaign));
    }

    /** The reason chosen for the pause after the call (its second line on the button). */
    get pendingPauseLabel() {
        return this.model.pendingPause;
    }

    get selectedCampaign() {
        return this.state.campaigns.find((c) => c.id === this.state.selectedCampaignId);
    }

    get closedMessage() {
        return _t(
            "Outside the campaign's work hours (%s): no calls now.",
            this.selectedCampaign.work_hours
        );
    }

    get canAskNext() {
        return this.sessionState === "ready" && !this.state.contact && !this.state.busy;
    }

    get canHangup() {
        return (
            this.sessionState === "in_call" &&
            Boolean(this.state.contact) &&
            !this.state.busy
        );
    }

    get workflow() {
        return this.model.workflow;
    }

    get currentStep() {
        return this.model.resolveStep(this.state.step);
    }

    get currentStepIndex() {
        return this.workflow.findIndex((step) => step.key === this.currentStep);
    }

    /** The component of the current step during the call (null: the script screen). */
    get stepPanel() {
        if (this.sessionState !== "in_call" || !this.state.contact) {
            return null;
        }
        const key = this.currentStep;
        return key && key !== "script" && consoleStepRegistry.contains(key)
            ? consoleStepRegistry.get(key)
            : null;
    }

    stepClass(step, index) {
        const current = this.currentStepIndex;
        return {
            o_sc_step_current: index === current,
            o_sc_step_done: index < current,
            "btn-primary": index === current,
            "btn-outline-secondary": index !== current,
        };
    }

    canGoToStep(step) {
        return (
            this.sessionState === "in_call" &&
            !this.state.busy &&
            step.key !== this.currentStep
        );
    }

    get activePanel() {
        for (const panel of consolePanelRegistry.getAll()) {
            if (panel.isActive(this.model)) {
                return panel;
            }
        }
        return null;
    }

    get toggleTitle() {
        if (this.model.pendingPause) {
            return _t("Cancel the pause after this call and keep receiving calls (F2)");
        }
        if (this.model.holdsContact) {
            return _t("Pause after this call: the call and its outcome go on (F2)");
        }
        return this.model.isWorking
            ? _t("Pause the calls (F2)")
            : _t("Start receiving calls (F2)");
    }

    // ------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------

    /** Run a console method; show its error in the console's error line. */
    async run(method, args = []) {
        this.ui.error = "";
        try {
            return await this.model.run(method, args);
        } catch (error) {
            if (!(error instanceof ConsoleOfflineError)) {
                this.ui.error = error.userMessage || error.message;
            }
            return null;
        }
    }

    onCampaignChange(ev) {
        const id = parseInt(ev.target.value, 10) || false;
        this.state.selectedCampaignId = id;
        if (id && this.sessionState === "ready" && !this.state.contact) {
            // switch the running session to the chosen campaign
            this.run("start", [id]);
        }
    }

    /**
     * Start / Pause (F2). Pause works at any moment (seed 003, 2): during a call it is kept
     * for after the outcome, and pressing the button again cancels it.
     */
    async toggleStartPause() {
        if (!this.canToggle) {
            return;
        }
        if (this.model.pendingPause) {
            await this.run("start", [this.state.session.campaign_id]);
        } else if (this.model.isWorking) {
            this.askPause();
        } else {
            await this.run("start", [this.state.selectedCampaignId]);
        }
    }

    askPause() {
        this.dialog.add(PauseDialog, {
            reasons: this.state.pauseReasons,
            afterCall: this.model.holdsContact,
            onChoose: (reason) => this.run("pause", [reason.id]),
        });
    }

    async nextContact() {
        if (!this.canAskNext) {
            return;
        }
        const result = await this.run("next_contact", []);
        if (result && !result.contact) {
            this.notification.add(_t("No contact to call right now."), {type: "info"});
        }
    }

    async pickContact(row) {
        await this.run("pick_contact", [row.id]);
    }

    async hangup() {
        if (!this.canHangup) {
            return;
        }
        await this.run("hangup", [this.state.contact.id]);
    }

    /** Go to a step of the workflow; Outcome hangs up (the call then gets its outcome). */
    async goToStep(key) {
        if (this.sessionState !== "in_call" || !this.model.hasStep(key)) {
            return;
        }
        if (key === "outcome") {
            await this.hangup();
        } else {
            this.state.step = key;
        }
    }

    /** F9 / F8: the next / previous step of the workflow. */
    moveStep(delta) {
        const target = this.workflow[this.currentStepIndex + delta];
        if (target && delta && this.currentStepIndex >= 0) {
            this.goToStep(target.key);
        }
    }

    logout() {
        this.dialog.add(ConfirmationDialog, {
            title: _t("Log out"),
            body: this.model.holdsContact
                ? _t(
                      "You are holding a contact: it goes back to the queue. Close your session?"
                  )
                : _t("Close your work session and log out?"),
            confirmLabel: _t("Log out"),
            confirm: async () => {
                const result = await this.run("logout", []);
                if (result !== null) {
                    browser.location.href = "/web/session/logout";
                }
            },
            cancel: () => {},
        });
    }

    onFunctionKey(ev) {
        if (document.querySelector(".modal") || ev.repeat) {
            return;
        }
        if (ev.key === "F2") {
            ev.preventDefault();
            this.toggleStartPause();
        } else if (ev.key === "F3") {
            ev.preventDefault();
            this.nextContact();
        } else if (ev.key === "F4") {
            ev.preventDefault();
            this.hangup();
        } else if (ev.key === "F8" || ev.key === "F9") {
            ev.preventDefault();
            this.moveStep(ev.key === "F9" ? 1 : -1);
        }
    }
}

registry.category("actions").add("smartcall_operator_console", OperatorConsole);
