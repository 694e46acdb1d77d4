import {reactive} from "@odoo/owl";
import {browser} from "@web/core/browser/browser";
import {deserializeDateTime} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {ConnectionLostError, RPCError} from "@web/core/network/rpc";

const HEARTBEAT_MS = 30000;
const RETRY_MS = 4000;
// Only while the websocket is down: otherwise the server pushes (bus) when a contact is due.
export const QUEUE_POLL_MS = 15000;
// the longest a "contact due at" timer is armed for: the push re-arms it when needed
const MAX_DUE_TIMER_MS = 6 * 3600 * 1000;
const DATABASE_LOST_ERRORS = ["psycopg2.InterfaceError", "psycopg2.OperationalError"];

/**
 * Client-side state of the operator console. It holds the last console state returned by the
 * server (`smartcall.console` methods), talks to the server through `call()`, runs the heartbeat
 * and handles a lost connection: one clear line, periodic retries, automatic resume.
 * It holds no business rule: every decision is taken by the server, this only presents it.
 */
export class ConsoleModel {
    constructor(orm, busService = null) {
        this.orm = orm;
        this.bus = busService;
        this._queueListeners = new Set();
        this._dueTimer = null;
        this._dueAt = null;
        this.state = reactive({
            // the bus websocket is up: the server pushes queue changes, no polling
            live: Boolean(busService && busService.workerState === "CONNECTED"),
            loaded: false,
            session: null,
            campaigns: [],
            pauseReasons: [],
            contact: null,
            hasVoip: false,
            features: {},
            offline: false,
            busy: false,
            selectedCampaignId: false,
            // epoch ms of the last state received, to run the timers locally
            receivedAt: Date.now(),
            now: Date.now(),
            // drafts typed by the operator, per contact id, kept across refreshes and errors
            drafts: {},
            view: "script", // "script" | "customer" (outcome page: back to customer)
            // the step of the campaign's workflow the operator is on during the call
            step: null,
        });
        this._timers = [];
        // run(): calls in progress, operator actions in progress, and a counter of the actions
        // started or ended, to tell a state read that an action overtook
        this._callsRunning = 0;
        this._actionsRunning = 0;
        this._actionEpoch = 0;
    }

    // ------------------------------------------------------------------
    // Server calls
    // ------------------------------------------------------------------

    /**
     * Call a `smartcall.console` method. Connection errors switch the console to "offline" (one
     * line) and are re-thrown as `ConsoleOfflineError`; server errors (UserError, ...) are
     * re-thrown as they are, with `userMessage` set, for the caller to show in place.
     */
    async call(method, args = [], {silent = false, kwargs = {}} = {}) {
        const orm = silent ? this.orm.silent : this.orm;
        try {
            const result = await orm.call("smartcall.console", method, args, kwargs);
            if (this.state.offline) {
                this._backOnline();
            }
            return result;
        } catch (error) {
            throw this._handleError(error);
        }
    }

    /**
     * Call a method returning the console state and apply it.
     *
     * A state read (get_console_state: a refresh asked by the bus, a reconnection) that was
     * running while an action of the operator (Start, Pause, an outcome...) ran is not applied:
     * the server may have read it before the action committed, and it would put back what the
     * action changed (Start clicked, the console still "Not started").
     */
    async run(method, args = [], options = {}) {
        const isRead = method === "get_console_state";
        const epochAtCall = this._actionEpoch;
        if (!isRead) {
            this._actionsRunning++;
            this._actionEpoch++;
        }
        this._callsRunning++;
        this.state.busy = true;
        try {
            const result = await this.call(method, args, options);
            const stale =
                isRead &&
                (this._actionsRunning > 0 || epochAtCall !== this._actionEpoch);
            if (!stale) {
                this.applyState(result);
            }
            return result;
        } finally {
            if (!isRead) {
                this._actionsRunning--;
                this._actionEpoch++;
            }
            this._callsRunning--;
            this.state.busy = this._callsRunning > 0;
        }
    }

    _handleError(error) {
        // A request caught by a database restart comes back as a server error naming the
        // driver's lost connection: for the operator it is the same outage.
        const databaseLost =
            error instanceof RPCError &&
            DATABASE_LOST_ERRORS.includes(error.data && error.data.name);
        if (error instanceof ConnectionLostError || databaseLost) {
            this._goOffline();
            const offline = new ConsoleOfflineError(error.message);
            offline.userMessage = _t("Connection to the server lost, retrying...");
            return offline;
        }
        if (error instanceof RPCError) {
            error.userMessage = (error.data && error.data.message) || error.message;
        } else if (!error.userMessage) {
            error.userMessage = error.message || String(error);
        }
        return error;
    }

    applyState(result) {
        if (!result || typeof result !== "object" || !("session" in result)) {
            return;
        }
        const s = this.state;
        s.session = result.session;
        s.campaigns = result.campaigns || [];
        s.pauseReasons = result.pause_reasons || [];
        const previousId = s.contact && s.contact.id;
        s.contact = result.contact || null;
        if (!s.contact || s.contact.id !== previousId) {
            s.view = "script";
            s.step = null;
        }
        s.hasVoip = Boolean(result.has_voip);
        this._armDueTimer(result.next_due_at);
        s.features = result.features || {};
        s.receivedAt = Date.now();
        s.now = s.receivedAt;
        if (result.session && result.session.campaign_id) {
            s.selectedCampaignId = result.session.campaign_id;
        } else if (!s.selectedCampaignId && s.campaigns.length) {
            s.selectedCampaignId = s.campaigns[0].id;
        }
        // forget the drafts of contacts we do not hold any more
        for (const id of Object.keys(s.drafts)) {
            if (!s.contact || String(s.contact.id) !== id) {
                delete s.drafts[id];
            }
        }
        s.loaded = true;
    }

    async load() {
        await this.run("get_console_state", [], {silent: true});
    }

    // ------------------------------------------------------------------
    // Derived values
    // ------------------------------------------------------------------

    get sessionState() {
        return (this.state.session && this.state.session.state) || "closed";
    }

    get isWorking() {
        return ["ready", "in_call", "wrap_up"].includes(this.sessionState);
    }

    get holdsContact() {
        return (
            Boolean(this.state.contact) &&
            ["in_call", "wrap_up"].includes(this.sessionState)
        );
    }

    /** The reason of the pause asked during the call (it starts after the outcome), or false. */
    get pendingPause() {
        return (this.holdsContact && this.state.session.pending_pause_reason) || false;
    }

    get campaign() {
        const id = this.state.selectedCampaignId;
        return this.state.campaigns.find((c) => c.id === id) || null;
    }

    get elapsed() {
        return Math.max(0, Math.round((this.state.now - this.state.receivedAt) / 1000));
    }

    get secondsInState() {
        const session = this.state.session;
        return session ? (session.seconds_in_state || 0) + this.elapsed : 0;
    }

    totalFor(state) {
        const session = this.state.session;
        if (!session || !session.totals) {
            return 0;
        }
        let total = session.totals[state] || 0;
        if (session.state === state) {
            total += this.elapsed;
        }
        return total;
    }

    // ------------------------------------------------------------------
    // The campaign's workflow (seed 001): the steps of the held contact's campaign
    // ------------------------------------------------------------------

    /** The steps of the held contact's campaign, in order: [{key, name}], outcome last. */
    get workflow() {
        const contact = this.state.contact;
        return (contact && contact.campaign && contact.campaign.workflow) || [];
    }

    hasStep(key) {
        return this.workflow.some((step) => step.key === key);
    }

    /** The step the operator is on: the outcome once the call is closed, else the one chosen. */
    get currentStep() {
        return this.resolveStep(this.state.step);
    }

    /**
     * The step the operator is on when `chosen` is the step they moved to (components pass
     * it read from their own reactive state, so that moving re-renders them).
     */
    resolveStep(chosen) {
        if (!this.holdsContact) {
            return null;
        }
        if (this.sessionState === "wrap_up") {
            return "outcome";
        }
        if (chosen && chosen !== "outcome" && this.hasStep(chosen)) {
            return chosen;
        }
        const first = this.workflow.find((step) => step.key !== "outcome");
        return first ? first.key : "script";
    }

    draftFor(contactId, factory) {
        if (!this.state.drafts[contactId]) {
            this.state.drafts[contactId] = factory();
        }
        return this.state.drafts[contactId];
    }

    // ------------------------------------------------------------------
    // Timers: clock, heartbeat, queue polling, reconnection
    // ------------------------------------------------------------------

    startTimers() {
        this._timers.push(
            browser.setInterval(() => {
                this.state.now = Date.now();
            }, 1000)
        );
        this._timers.push(browser.setInterval(() => this.heartbeat(), HEARTBEAT_MS));
        this._timers.push(browser.setInterval(() => this._pollQueue(), QUEUE_POLL_MS));
        this._listenToBus();
    }

    // ------------------------------------------------------------------
    // Push: the bus tells the console when its queue changed
    // ------------------------------------------------------------------

    _listenToBus() {
        const bus = this.bus;
        if (!bus) {
            this.state.live = false;
            return;
        }
        this._onQueuePush = (payload) => this._queueChanged(payload);
        this._onCallbackPush = () => this._queueChanged({reason: "callback"});
        this._onConnect = () => {
            const wasLive = this.state.live;
            this.state.live = true;
            if (!wasLive) {
                // what was pushed while the websocket was down is lost: catch up once
                this._queueChanged({reason: "reconnect"});
            }
        };
        this._onDisconnect = () => {
            this.state.live = false;
        };
        bus.subscribe("smartcall.console/queue", this._onQueuePush);
        bus.subscribe("smartcall.console/callback", this._onCallbackPush);
        for (const type of ["connect", "reconnect"]) {
            bus.addEventListener(type, this._onConnect);
        }
        for (const type of ["disconnect", "reconnecting"]) {
            bus.addEventListener(type, this._onDisconnect);
        }
        bus.start();
        // the campaigns listened to are computed at subscription: refresh them
        bus.forceUpdateChannels();
        this.state.live = bus.workerState === "CONNECTED";
    }

    _stopListeningToBus() {
        const bus = this.bus;
        if (!bus || !this._onQueuePush) {
            return;
        }
        bus.unsubscribe("smartcall.console/queue", this._onQueuePush);
        bus.unsubscribe("smartcall.console/callback", this._onCallbackPush);
        for (const type of ["connect", "reconnect"]) {
            bus.removeEventListener(type, this._onConnect);
        }
        for (const type of ["disconnect", "reconnecting"]) {
            bus.removeEventListener(type, this._onDisconnect);
        }
        this._onQueuePush = null;
    }

    /** Components (the contact picker) that reload when the queue changes. */
    onQueueChange(callback) {
        this._queueListeners.add(callback);
        return () => this._queueListeners.delete(callback);
    }

    /**
     * The server says contacts were queued, a campaign started or stopped, or a callback was
     * handed to this operator. Contacts due later: ask at their time; due now: ask now.
     */
    _queueChanged(payload = {}) {
        const reason = payload.reason;
        // what changes the campaigns offered, not only the queue
        const structural = ["campaign", "assigned", "callback", "reconnect"].includes(
            reason
        );
        const sessionCampaign = this.state.session && this.state.session.campaign_id;
        const idle = this.sessionState === "ready" && !this.state.contact;
        const mine = !payload.campaign_id || payload.campaign_id === sessionCampaign;
        if (!idle || !mine) {
            if (structural && !this.holdsContact) {
                this._refresh();
            }
            return;
        }
        if (payload.due_at) {
            this._armDueTimer(payload.due_at);
            return;
        }
        this._contactDue();
    }

    /** Arm (or bring forward) the timer for the time a queued contact becomes due. */
    _armDueTimer(dueAt) {
        if (!dueAt) {
            return;
        }
        const at = deserializeDateTime(dueAt).toMillis();
        if (this._dueTimer && this._dueAt !== null && this._dueAt <= at) {
            return;
        }
        if (this._dueTimer) {
            browser.clearTimeout(this._dueTimer);
        }
        this._dueAt = at;
        const delay = Math.min(Math.max(at - Date.now(), 0) + 200, MAX_DUE_TIMER_MS);
        this._dueTimer = browser.setTimeout(() => {
            this._dueTimer = null;
            this._dueAt = null;
            this._contactDue();
        }, delay);
    }

    /** A contact may be due for this operator: take it (automatic) or refresh the lists. */
    async _contactDue() {
        for (const listener of this._queueListeners) {
            listener();
        }
        const campaign = this.campaign;
        if (
            !this.state.busy &&
            this.sessionState === "ready" &&
            !this.state.contact &&
            campaign &&
            campaign.mode === "automatic"
        ) {
            await this._askNext();
        } else if (!this.state.busy && !this.holdsContact) {
            await this._refresh();
        }
    }

    async _refresh() {
        try {
            await this.run("get_console_state", [], {silent: true});
        } catch {
            // offline is handled by call()
        }
    }

    stopTimers() {
        for (const id of this._timers) {
            browser.clearInterval(id);
        }
        this._timers = [];
        this._stopListeningToBus();
        if (this._dueTimer) {
            browser.clearTimeout(this._dueTimer);
            this._dueTimer = null;
            this._dueAt = null;
        }
        if (this._retryTimer) {
            browser.clearTimeout(this._retryTimer);
            this._retryTimer = null;
        }
    }

    async heartbeat() {
        if (
            this.state.offline ||
            !this.state.session ||
            this.sessionState === "closed"
        ) {
            return;
        }
        try {
            await this.call("heartbeat", [], {silent: true});
        } catch {
            // offline is handled by call(); other errors are not the operator's business
        }
    }

    /**
     * Fallback while the websocket is down (the console says so): automatic campaign, ready
     * and nothing proposed, ask the queue again now and then.
     */
    async _pollQueue() {
        if (this.state.live) {
            return;
        }
        await this._askNext();
    }

    async _askNext() {
        const campaign = this.campaign;
        if (
            this.state.offline ||
            this.state.busy ||
            this.sessionState !== "ready" ||
            this.state.contact ||
            !campaign ||
            campaign.mode !== "automatic"
        ) {
            return;
        }
        try {
            await this.run("next_contact", [], {silent: true});
        } catch {
            // shown by the console when the operator asks explicitly
        }
    }

    _goOffline() {
        if (this.state.offline) {
            return;
        }
        this.state.offline = true;
        this._scheduleRetry(RETRY_MS);
    }

    _scheduleRetry(delay) {
        this._retryTimer = browser.setTimeout(async () => {
            this._retryTimer = null;
            try {
                const result = await this.orm.silent.call(
                    "smartcall.console",
                    "get_console_state",
                    []
                );
                this.state.offline = false;
                this.applyState(result);
            } catch (error) {
                if (error instanceof ConnectionLostError) {
                    this._scheduleRetry(Math.min(delay * 1.5, 30000));
                } else {
                    this.state.offline = false;
                }
            }
        }, delay);
    }

    _backOnline() {
        this.state.offline = false;
        if (this._retryTimer) {
            browser.clearTimeout(this._retryTimer);
            this._retryTimer = null;
        }
    }
}

export class ConsoleOfflineError extends Error {}

/** "01:02:03" (or "02:03" below one hour) for a number of seconds. */
export function formatDuration(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const pad = (n) => String(n).padStart(2, "0");
    return h ? `${pad(h)}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}
