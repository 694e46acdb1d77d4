/** @odoo-module **/
// Copyright 2026 Smartcall
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";

/**
 * Issue 18: a supervisor opens an import running in the background: the progress bar shows
 * the rows read and left and the time left; the supervisor cancels it. Fixtures:
 * smartcall_campaign/tests/test_import_job_tour.py (the job has read 1 of its 3 rows).
 */
registry.category("web_tour.tours").add("smartcall_import_job_tour", {
    steps: () => [
        {
            content: "The progress bar of the running import",
            trigger: ".o_smartcall_import_progress .progress-bar:contains('33%')",
        },
        {
            content: "Rows read and left",
            trigger: ".o_smartcall_import_rows:contains('1 of 3 rows read, 2 left')",
        },
        {
            content: "The time left",
            trigger: ".o_smartcall_import_estimate",
        },
        {
            content: "Cancel the import",
            trigger: "button[name='action_cancel']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The import is cancelled",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains('Cancelled')",
        },
        {
            content: "It can be resumed",
            trigger: "button[name='action_resume']",
        },
    ],
});
