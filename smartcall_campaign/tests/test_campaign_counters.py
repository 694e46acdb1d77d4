# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The campaign counters are kept incrementally (issue 12, item 1): after every kind of change
(create, the claim's raw SQL, outcomes, the work plan's bulk UPDATE, delete, a deleted campaign)
they equal a real count, and folding their rows keeps the sums."""

from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from .common import SmartcallCampaignCommon

STATES = ("new", "queued", "in_call", "callback", "done", "excluded")


class TestCampaignCounters(SmartcallCampaignCommon):
    def _real_counts(self, campaign):
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """SELECT state, count(*) FROM smartcall_campaign_contact
                    WHERE campaign_id = %s GROUP BY state""",
                campaign.id,
            )
        )
        return {state: count for state, count in rows}

    def assertCounters(self, campaign):
        campaign.invalidate_recordset()
        real = self._real_counts(campaign)
        shown = {state: campaign[f"{state}_count"] for state in STATES}
        self.assertEqual(shown, {state: real.get(state, 0) for state in STATES})
        self.assertEqual(campaign.contact_count, sum(real.values()))

    def test_counters_follow_every_change(self):
        campaign = self.campaign
        contacts = [self._make_contact(f"Counted {i}") for i in range(4)]
        self._make_contact("New one", state="new")
        self.assertCounters(campaign)
        self.assertEqual(campaign.queued_count, 4)
        # the claim (raw SQL UPDATE) and an outcome
        claimed = campaign._claim_next_contact(self.operator_1)
        self.assertIn(claimed, contacts)
        self.assertCounters(campaign)
        self.assertEqual((campaign.queued_count, campaign.in_call_count), (3, 1))
        claimed._mark_done()
        self.assertCounters(campaign)
        self.assertEqual(campaign.done_count, 1)
        # a private callback, a retry, an exclusion
        contacts[1]._set_private_callback(
            self.operator_1, fields.Datetime.now() + timedelta(hours=1)
        )
        contacts[2]._mark_excluded("test")
        self.assertCounters(campaign)
        self.assertEqual((campaign.callback_count, campaign.excluded_count), (1, 1))
        # the work plan's bulk UPDATE queues the new contact
        campaign.with_user(self.supervisor).action_build_work_plan()
        self.assertCounters(campaign)
        self.assertEqual(campaign.new_count, 0)
        # delete
        contacts[3].unlink()
        self.assertCounters(campaign)
        # other campaigns are not affected
        self.assertCounters(self.other_campaign)
        self.assertEqual(self.other_campaign.contact_count, 0)

    def test_folding_keeps_the_sums(self):
        for i in range(3):
            self._make_contact(f"Fold {i}")
        self.campaign._claim_next_contact(self.operator_1)
        self.env.flush_all()
        rows_before = self.env.execute_query(
            SQL(
                "SELECT count(*) FROM smartcall_campaign_counter WHERE campaign_id = %s",
                self.campaign.id,
            )
        )[0][0]
        self.assertGreater(rows_before, 2)
        self.env["smartcall.campaign.counter"]._cron_compact()
        rows_after = self.env.execute_query(
            SQL(
                "SELECT count(*) FROM smartcall_campaign_counter WHERE campaign_id = %s",
                self.campaign.id,
            )
        )[0][0]
        # one row per state left: queued and in_call
        self.assertEqual(rows_after, 2)
        self.assertCounters(self.campaign)

    def test_deleted_campaign_takes_its_counters(self):
        campaign = self.env["smartcall.campaign"].create({"name": "Short-lived"})
        self._make_contact("Gone", campaign=campaign)
        self.assertEqual(campaign.queued_count, 1)
        campaign_id = campaign.id
        campaign.unlink()
        self.env.flush_all()
        left = self.env.execute_query(
            SQL(
                "SELECT count(*) FROM smartcall_campaign_counter WHERE campaign_id = %s",
                campaign_id,
            )
        )[0][0]
        self.assertEqual(left, 0)

    def test_console_queue_count_reads_no_contact_row(self):
        """The console's queue size comes from the counters: PostgreSQL's statistics of this
        transaction show that the contacts table was not read at all (neither scanned nor
        looked up by index): a million contacts cost the same as three."""
        for i in range(3):
            self._make_contact(f"Console count {i}")
        self.env.flush_all()
        self.env.invalidate_all()

        def contact_reads():
            self.env.flush_all()
            self.env.cr.execute(
                """SELECT COALESCE(seq_scan, 0), COALESCE(idx_scan, 0)
                     FROM pg_stat_xact_user_tables WHERE relname = 'smartcall_campaign_contact'"""
            )
            return self.env.cr.fetchone()

        before = contact_reads()
        state = self.env["smartcall.console"].with_user(self.operator_1).get_console_state()
        after = contact_reads()
        mine = [c for c in state["campaigns"] if c["id"] == self.campaign.id]
        self.assertEqual(mine[0]["queued_count"], 3)
        self.assertEqual(after, before, "get_console_state read the contacts table")
