# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class SmartcallCampaignCounter(models.Model):
    """How many contacts a campaign has in each state, kept by the database itself.

    Counting a campaign's contacts on every load costs a GROUP BY over all of them (140 ms for a
    million); the console, the campaign list and form read these rows instead. A statement-level
    trigger on smartcall_campaign_contact appends one row per (campaign, state) whose count an
    INSERT, UPDATE or DELETE changed, with the difference in ``delta``: insert-only, so
    concurrent operators never wait on (or conflict over) a shared counter row. The count of a
    (campaign, state) is the sum of its rows; a cron folds them into one row per pair now and
    then, so the sum reads a handful of rows.
    """

    _name = "smartcall.campaign.counter"
    _description = "Campaign Contact Counter"
    _log_access = False

    campaign_id = fields.Many2one(
        "smartcall.campaign", required=True, ondelete="cascade", index=True, readonly=True
    )
    state = fields.Char(required=True, readonly=True)
    delta = fields.Integer(required=True, readonly=True)

    def init(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                """CREATE OR REPLACE FUNCTION smartcall_campaign_contact_count() RETURNS trigger
                   LANGUAGE plpgsql AS $$
                   BEGIN
                       IF TG_OP = 'INSERT' THEN
                           INSERT INTO smartcall_campaign_counter (campaign_id, state, delta)
                           SELECT campaign_id, state, count(*) FROM new_rows
                            GROUP BY campaign_id, state;
                       ELSIF TG_OP = 'DELETE' THEN
                           INSERT INTO smartcall_campaign_counter (campaign_id, state, delta)
                           SELECT o.campaign_id, o.state, -count(*) FROM old_rows o
                            WHERE EXISTS (SELECT 1 FROM smartcall_campaign c
                                           WHERE c.id = o.campaign_id)
                            GROUP BY o.campaign_id, o.state;
                       ELSE
                           INSERT INTO smartcall_campaign_counter (campaign_id, state, delta)
                           SELECT campaign_id, state, sum(delta) FROM (
                               SELECT o.campaign_id, o.state, -1 AS delta
                                 FROM old_rows o JOIN new_rows n ON n.id = o.id
                                WHERE (o.campaign_id, o.state) <> (n.campaign_id, n.state)
                               UNION ALL
                               SELECT n.campaign_id, n.state, 1
                                 FROM old_rows o JOIN new_rows n ON n.id = o.id
                                WHERE (o.campaign_id, o.state) <> (n.campaign_id, n.state)
                           ) moved
                            GROUP BY campaign_id, state
                           HAVING sum(delta) <> 0;
                       END IF;
                       RETURN NULL;
                   END $$"""
            )
        )
        cr.execute(
            SQL(
                """SELECT tgname FROM pg_trigger
                    WHERE tgrelid = 'smartcall_campaign_contact'::regclass
                      AND tgname IN ('smartcall_campaign_contact_count_insert',
                                     'smartcall_campaign_contact_count_update',
                                     'smartcall_campaign_contact_count_delete')"""
            )
        )
        if len(cr.fetchall()) == 3:
            return
        for event, referencing in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            cr.execute(
                SQL(
                    """CREATE OR REPLACE TRIGGER %s AFTER %s ON smartcall_campaign_contact
                       REFERENCING %s
                       FOR EACH STATEMENT EXECUTE FUNCTION smartcall_campaign_contact_count()""",
                    SQL.identifier(f"smartcall_campaign_contact_count_{event.lower()}"),
                    SQL(event),
                    SQL(referencing),
                )
            )
        # First install (or the triggers were lost): count once, from now on incrementally.
        cr.execute(SQL("DELETE FROM smartcall_campaign_counter"))
        cr.execute(
            SQL(
                """INSERT INTO smartcall_campaign_counter (campaign_id, state, delta)
                   SELECT campaign_id, state, count(*) FROM smartcall_campaign_contact
                    GROUP BY campaign_id, state"""
            )
        )

    @api.model
    def _get_counts(self, campaign_ids):
        """{(campaign_id, state): count} for `campaign_ids`, from the counter rows."""
        if not campaign_ids:
            return {}
        # the trigger sees only what reached the database
        self.env["smartcall.campaign.contact"].flush_model(["campaign_id", "state"])
        rows = self.env.execute_query(
            SQL(
                """SELECT campaign_id, state, sum(delta) FROM smartcall_campaign_counter
                    WHERE campaign_id = ANY(%s) GROUP BY campaign_id, state""",
                list(campaign_ids),
            )
        )
        return {(campaign_id, state): int(count) for campaign_id, state, count in rows}

    @api.model
    def _cron_compact(self):
        """Fold the rows of each (campaign, state) into one, keeping the sums."""
        self.env.cr.execute(
            SQL(
                """WITH folded AS (DELETE FROM smartcall_campaign_counter RETURNING *)
                   INSERT INTO smartcall_campaign_counter (campaign_id, state, delta)
                   SELECT campaign_id, state, sum(delta) FROM folded
                    GROUP BY campaign_id, state HAVING sum(delta) <> 0"""
            )
        )
        return True
