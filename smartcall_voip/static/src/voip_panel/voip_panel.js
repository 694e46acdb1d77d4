import {Component, onWillUnmount, useState} from "@odoo/owl";
import {
    ConsoleModel,
    formatDuration,
} from "@smartcall_campaign/operator_console/console_model";
import {OperatorConsole} from "@smartcall_campaign/operator_console/operator_console";
import {_t} from "@web/core/l10n/translation";
import {deserializeDateTime} from "@web/core/l10n/dates";
import {patch} from "@web/core/utils/patch";
import {useService} from "@web/core/utils/hooks";

const FINAL_STATES = ["ended", "failed"];

/** A short tone (seed 003, 2: "Ogni volta che la chiamata si chiude sentirai questo suono"). */
export function playCallClosedTone() {
    const AudioContext = window.AudioContext || window.webkitAudioContext;
    if (!AudioContext) {
        return false;
    }
    const audio = new AudioContext();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = 620;
    gain.gain.value = 0.15;
    oscillator.connect(gain);
    gain.connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.35);
    oscillator.onended = () => audio.close();
    return true;
}

patch(ConsoleModel.prototype, {
    applyState(result) {
        super.applyState(result);
        if (result && typeof result === "object" && "session" in result) {
            this.state.voip = result.voip || null;
        }
    },
    /** A call or line update pushed by the PBX client over the bus. */
    applyVoipPush(kind, payload) {
        const voip = this.state.voip;
        if (!voip) {
            return false;
        }
        if (kind === "line") {
            voip.line = payload;
            return false;
        }
        const previous = voip.call;
        const closed =
            FINAL_STATES.includes(payload.state) &&
            !(
                previous &&
                previous.id === payload.id &&
                FINAL_STATES.includes(previous.state)
            );
        voip.call = payload;
        return closed;
    },
});

export class VoipPanel extends Component {
    static template = "smartcall_voip.VoipPanel";
    static props = {model: Object};

    setup() {
        this.bus = useService("bus_service");
        this.notification = useService("notification");
        this.ui = useState({error: ""});
        // Observed here, not only through the console: a push changes the line or the call
        // without re-rendering the console, and the clock ticks the talk timer.
        this.consoleState = useState(this.props.model.state);
        const onCall = (payload) => {
            if (this.props.model.applyVoipPush("call", payload)) {
                playCallClosedTone();
            }
        };
        const onLine = (payload) => {
            this.props.model.applyVoipPush("line", payload);
            if (payload.state === "down") {
                this.notification.add(
                    _t(
                        "Your phone line was closed: press “Call my phone” to get it back."
                    ),
                    {type: "warning"}
                );
            }
        };
        this.bus.subscribe("smartcall_voip/call", onCall);
        this.bus.subscribe("smartcall_voip/line", onLine);
        onWillUnmount(() => {
            this.bus.unsubscribe("smartcall_voip/call", onCall);
            this.bus.unsubscribe("smartcall_voip/line", onLine);
        });
    }

    get voip() {
        return this.consoleState.voip;
    }

    get line() {
        return (this.voip && this.voip.line) || {state: "none"};
    }

    get call() {
        return this.voip && this.voip.call;
    }

    get lineLabel() {
        return (
            {
                none: _t("Phone line not open"),
                calling: _t("Your phone is ringing: answer it"),
                up: _t("Phone line connected"),
                down: _t("Phone line closed"),
            }[this.line.state] || ""
        );
    }

    get canCallMyPhone() {
        // read through this panel's observer, so that a session change re-renders it
        const observedSessionState = this.consoleState.session?.state;
        return (
            Boolean(observedSessionState) &&
            ["none", "down"].includes(this.line.state) &&
            this.props.model.isWorking
        );
    }

    secondsSince(value) {
        if (!value) {
            return 0;
        }
        const start = deserializeDateTime(value).toMillis();
        return Math.max(0, Math.floor((this.consoleState.now - start) / 1000));
    }

    get callLabel() {
        const call = this.call;
        if (!call) {
            return "";
        }
        switch (call.state) {
            case "dialing":
                return _t("Dialling %(number)s", {number: call.number});
            case "ringing":
                return _t("Ringing %(ring)s", {
                    ring: formatDuration(this.secondsSince(call.dialed_at)),
                });
            case "answered":
                return _t("In call %(talk)s", {
                    talk: formatDuration(this.secondsSince(call.answered_at)),
                });
            case "ended":
                return _t("Call closed after %(talk)s", {
                    talk: formatDuration(call.talk_duration),
                });
            case "failed":
                return _t("Not answered: %(reason)s", {
                    reason:
                        call.hangup_cause_text || call.dial_status || _t("no answer"),
                });
        }
        return "";
    }

    async callMyPhone() {
        this.ui.error = "";
        try {
            await this.props.model.run("call_my_phone");
        } catch (error) {
            this.ui.error = error.userMessage || error.message;
        }
    }
}

patch(OperatorConsole, {
    components: {...OperatorConsole.components, VoipPanel},
});
