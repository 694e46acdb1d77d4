import {onWillUnmount} from "@odoo/owl";
import {KanbanController} from "@web/views/kanban/kanban_controller";
import {kanbanView} from "@web/views/kanban/kanban_view";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

export const WALL_NOTIFICATION = "smartcall.wall/updated";
const RELOAD_DELAY_MS = 300;

/**
 * Supervisor wall: the kanban of operator sessions reloads itself when the server announces a
 * change (state, outcome, contact) on the supervisors' bus channel. Bursts of notifications
 * are coalesced into one reload.
 */
export class SupervisorWallController extends KanbanController {
    setup() {
        super.setup();
        this.busService = useService("bus_service");
        this.reloadTimer = null;
        this.onWallUpdated = () => this.scheduleReload();
        this.busService.subscribe(WALL_NOTIFICATION, this.onWallUpdated);
        this.busService.start();
        onWillUnmount(() => {
            clearTimeout(this.reloadTimer);
            this.busService.unsubscribe(WALL_NOTIFICATION, this.onWallUpdated);
        });
    }

    scheduleReload() {
        clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => this.model.load(), RELOAD_DELAY_MS);
    }
}

export const supervisorWallView = {
    ...kanbanView,
    Controller: SupervisorWallController,
};

registry.category("views").add("smartcall_supervisor_wall", supervisorWallView);
