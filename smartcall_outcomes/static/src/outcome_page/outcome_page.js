import {Component, onWillStart, useEffect, useRef, useState} from "@odoo/owl";
import {ConfirmationDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {useHotkey} from "@web/core/hotkeys/hotkey_hook";
import {_t} from "@web/core/l10n/translation";
import {useService} from "@web/core/utils/hooks";
import {consolePanelRegistry} from "@smartcall_campaign/operator_console/operator_console";
import {ConsoleOfflineError} from "@smartcall_campaign/operator_console/console_model";
import {ScriptScreen} from "@smartcall_campaign/operator_console/script_screen";
import {CartEditor} from "../cart/cart_editor";

export const OUTCOME_TYPES = {
    R: {label: _t("Recall"), className: "o_sc_type_r"},
    N: {label: _t("Negative"), className: "o_sc_type_n"},
    C: {label: _t("Close on line"), className: "o_sc_type_c"},
    T: {label: _t("Appointment"), className: "o_sc_type_t"},
};

/** Black or white text on an outcome colour, whichever reads better. */
export function textColorFor(hex) {
    const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
    if (!match) {
        return "#fff";
    }
    const [r, g, b] = match.slice(1).map((x) => parseInt(x, 16));
    return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#212529" : "#fff";
}

/** What the operator types for the wrap-up of a contact (kept by the console model). */
export function newOutcomeDraft() {
    return {
        outcome_id: null,
        notes: "",
        callback: {private: false, date: "", time: "", note: ""},
        cart: [],
        appointment: null,
    };
}

/** Digit shortcuts of the quick buttons: the first nine get 1-9. */
export const QUICK_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

/**
 * The outcome page (seed 003, 3 and seed 001): quick buttons, every allowed outcome (searchable,
 * coloured by type), notes, the CALLBK section, the cart of type C, CONFERMA ESITO (double
 * click or Enter) and STOP / CHIUDI (Esc). What the operator types is a draft kept by the
 * console model per contact: a server error or a lost connection never loses it.
 *
 * Keyboard (a whole call needs no mouse): the search takes the focus when the page opens,
 * typing filters and highlights the best match, the arrows move through the filtered list,
 * Enter confirms the highlighted outcome, 1-9 pick the quick buttons, Ctrl+Enter confirms from
 * the notes.
 */
export class OutcomePage extends Component {
    static template = "smartcall_outcomes.OutcomePage";
    static components = {ScriptScreen, CartEditor};
    static props = {model: Object, console: Object};

    setup() {
        this.notification = useService("notification");
        this.dialog = useService("dialog");
        this.searchRef = useRef("search");
        this.timeRef = useRef("callbackTime");
        this.state = useState({
            page: null,
            error: "",
            saving: false,
            search: "",
            view: "outcomes", // "outcomes" | "customer" (TORNA ALL'ANAGRAFICA)
        });
        this.draft = useState(this.model.draftFor(this.contact.id, newOutcomeDraft));
        onWillStart(() => this.loadPage());
        useHotkey("enter", () => this.confirm(), {
            isAvailable: () =>
                this.state.view === "outcomes" &&
                !this.state.saving &&
                !document.activeElement?.matches(
                    "button:not(.o_sc_outcome_item):not(.o_sc_quick), a[href]"
                ),
        });
        useHotkey("control+enter", () => this.confirm(), {
            bypassEditableProtection: true,
            isAvailable: () => this.state.view === "outcomes" && !this.state.saving,
        });
        useHotkey("escape", () => this.askStop(), {bypassEditableProtection: true});
        useHotkey("arrowdown", () => this.move(1), {allowRepeat: true});
        useHotkey("arrowup", () => this.move(-1), {allowRepeat: true});
        QUICK_KEYS.forEach((key, index) =>
            useHotkey(key, () => this.selectQuick(index), {
                isAvailable: () =>
                    this.state.view === "outcomes" &&
                    !this.state.saving &&
                    Boolean(this.quick[index]),
            })
        );
        // "Hangup ed esita" (F4) lands here: the search takes the focus, so the operator types
        // the outcome code at once; the same when coming back from the customer (INGRANDISCI).
        useEffect(
            (page, view) => {
                if (page && view === "outcomes" && this.searchRef.el) {
                    this.searchRef.el.focus();
                }
            },
            () => [this.state.page, this.state.view]
        );
    }

    get model() {
        return this.props.model;
    }

    get contact() {
        return this.model.state.contact;
    }

    async loadPage() {
        try {
            this.state.page = await this.model.call("get_outcome_page", [
                this.contact.id,
            ]);
            if (!this.draft.callback.date) {
                this.draft.callback.date = this.state.page.today;
            }
            this.state.error = "";
        } catch (error) {
            this.state.error = error.userMessage || error.message;
        }
    }

    // ------------------------------------------------------------------
    // Getters
    // ------------------------------------------------------------------

    get outcomes() {
        return (this.state.page && this.state.page.outcomes) || [];
    }

    get quick() {
        return (this.state.page && this.state.page.quick) || [];
    }

    get filteredOutcomes() {
        const search = this.state.search.trim().toLowerCase();
        if (!search) {
            return this.outcomes;
        }
        return this.outcomes.filter(
            (o) =>
                o.code.toLowerCase().includes(search) ||
                o.name.toLowerCase().includes(search)
        );
    }

    get selected() {
        return this.outcomes.find((o) => o.id === this.draft.outcome_id) || null;
    }

    get needsCallback() {
        return Boolean(this.selected && this.selected.requires_callback);
    }

    get isCart() {
        return Boolean(this.selected && this.selected.type === "C");
    }

    get isAppointment() {
        return Boolean(this.selected && this.selected.type === "T");
    }

    get today() {
        return (this.state.page && this.state.page.today) || "";
    }

    get products() {
        return (this.state.page && this.state.page.products) || [];
    }

    typeOf(outcome) {
        return OUTCOME_TYPES[outcome.type] || {label: outcome.type, className: ""};
    }

    quickStyle(outcome) {
        return `background-color: ${outcome.color}; border-color: ${outcome.color}; color: ${textColorFor(outcome.color)};`;
    }

    // ------------------------------------------------------------------
    // Selection
    // ------------------------------------------------------------------

    /** The digit shown on the quick button at `index` ("" beyond the ninth). */
    quickKey(index) {
        return QUICK_KEYS[index] || "";
    }

    selectQuick(index) {
        const outcome = this.quick[index];
        if (outcome) {
            this.select(outcome, {focusCallback: false});
        }
    }

    /**
     * Highlight `outcome`. A CALLBK moves the focus to its time unless the operator is
     * browsing the list with the keyboard (the time is asked for when confirming).
     */
    select(outcome, {focusCallback = true} = {}) {
        this.draft.outcome_id = outcome.id;
        this.state.error = "";
        if (outcome.requires_callback) {
            if (!this.draft.callback.private) {
                this.draft.callback.date = this.today;
            }
            if (focusCallback) {
                setTimeout(() => this.timeRef.el && this.timeRef.el.focus());
            }
        }
    }

    /** The outcome typing `search` points at: same code, else a code starting so, else the first. */
    bestMatch(list, search) {
        const typed = search.trim().toLowerCase();
        return (
            list.find((o) => o.code.toLowerCase() === typed) ||
            list.find((o) => o.code.toLowerCase().startsWith(typed)) ||
            list[0] ||
            null
        );
    }

    /** Double-click confirms (seed 003, 3.3), unless the callback still needs its time. */
    selectAndConfirm(outcome) {
        this.select(outcome);
        if (outcome.requires_callback && !this.draft.callback.time) {
            return;
        }
        this.confirm();
    }

    move(step) {
        const list = this.filteredOutcomes;
        if (!list.length || this.state.view !== "outcomes") {
            return;
        }
        let index = list.findIndex((o) => o.id === this.draft.outcome_id);
        index =
            index < 0
                ? step > 0
                    ? 0
                    : list.length - 1
                : (index + step + list.length) % list.length;
        this.select(list[index], {focusCallback: false});
        const el = document.querySelector(
            `.o_sc_outcome_item[data-outcome-id="${list[index].id}"]`
        );
        if (el) {
            el.scrollIntoView({block: "nearest"});
        }
    }

    /** Typing filters the list and highlights the best match (Enter then confirms it). */
    onSearchInput(ev) {
        this.state.search = ev.target.value;
        if (!this.state.search.trim()) {
            return;
        }
        const match = this.bestMatch(this.filteredOutcomes, this.state.search);
        if (match) {
            this.select(match, {focusCallback: false});
        } else {
            // nothing matches: Enter must not confirm an outcome the operator no longer sees
            this.draft.outcome_id = null;
        }
    }

    onSearchKeydown(ev) {
        if (ev.key === "Enter" && !ev.ctrlKey) {
            ev.preventDefault();
            this.confirm();
        } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
            ev.preventDefault();
            this.move(ev.key === "ArrowDown" ? 1 : -1);
        } else if (
            QUICK_KEYS.includes(ev.key) &&
            !this.state.search &&
            !ev.ctrlKey &&
            !ev.altKey &&
            this.quick[QUICK_KEYS.indexOf(ev.key)]
        ) {
            // an empty search: the digits pick the quick buttons, as anywhere on the page
            ev.preventDefault();
            this.selectQuick(QUICK_KEYS.indexOf(ev.key));
        }
    }

    /** Enter in the callback fields confirms (the time is usually the last thing typed). */
    onCallbackKeydown(ev) {
        if (ev.key === "Enter" && !ev.ctrlKey) {
            ev.preventDefault();
            this.confirm();
        }
    }

    onPrivateChange(ev) {
        this.draft.callback.private = ev.target.checked;
        if (!this.draft.callback.private) {
            // public callback: today only (seed 003, 3.4)
            this.draft.callback.date = this.today;
        }
    }

    // ------------------------------------------------------------------
    // CONFERMA ESITO / STOP-CHIUDI
    // ------------------------------------------------------------------

    buildValues() {
        const outcome = this.selected;
        return {
            outcome_id: outcome.id,
            notes: this.draft.notes,
            callback: outcome.requires_callback
                ? {
                      private: Boolean(this.draft.callback.private),
                      date: this.draft.callback.private
                          ? this.draft.callback.date
                          : this.today,
                      time: this.draft.callback.time,
                      note: this.draft.callback.note,
                  }
                : null,
            cart:
                outcome.type === "C"
                    ? this.draft.cart.map((line) => ({
                          product_id: line.product_id,
                          quantity: parseFloat(line.quantity) || 0,
                          price_unit: parseFloat(line.price_unit) || 0,
                          discount: parseFloat(line.discount) || 0,
                      }))
                    : null,
            appointment: outcome.type === "T" ? this.draft.appointment : null,
        };
    }

    async confirm() {
        if (this.state.saving) {
            return;
        }
        const outcome = this.selected;
        if (!outcome) {
            this.state.error = _t(
                "Choose an outcome first (double-click it, or select it and press Enter)."
            );
            return;
        }
        if (outcome.requires_callback && !this.draft.callback.time) {
            this.state.error = _t("Give the callback time.");
            if (this.timeRef.el) {
                this.timeRef.el.focus();
            }
            return;
        }
        this.state.saving = true;
        this.state.error = "";
        try {
            await this.model.run("confirm_outcome", [
                this.contact.id,
                this.buildValues(),
            ]);
            this.notification.add(_t("Outcome %(code)s saved.", {code: outcome.code}), {
                type: "success",
            });
        } catch (error) {
            // offline: the console's one line says it; the draft stays, confirm again later
            if (!(error instanceof ConsoleOfflineError)) {
                this.state.error = error.userMessage || error.message;
            }
        } finally {
            this.state.saving = false;
        }
    }

    askStop() {
        if (this.state.saving) {
            return;
        }
        this.dialog.add(ConfirmationDialog, {
            title: _t("STOP / CLOSE"),
            body: _t(
                "Close this contact without an outcome? The notes, callback, cart and appointment are NOT saved, and the contact goes back to the queue."
            ),
            confirmLabel: _t("Discard and close"),
            confirmClass: "btn-danger",
            confirm: () => this.stop(),
            cancel: () => {},
        });
    }

    async stop() {
        try {
            await this.model.run("stop", [this.contact.id]);
        } catch (error) {
            this.state.error = error.userMessage || error.message;
        }
    }

    toggleCustomer() {
        this.state.view = this.state.view === "outcomes" ? "customer" : "outcomes";
    }
}

consolePanelRegistry.add(
    "smartcall_outcomes.outcome_page",
    {
        Component: OutcomePage,
        isActive: (model) =>
            model.sessionState === "wrap_up" && Boolean(model.state.contact),
    },
    {sequence: 10}
);
