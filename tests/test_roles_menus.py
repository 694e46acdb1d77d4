"""Each role sees the Call Center menus it needs, and nothing more.

Roles (smartcall_campaign/security/smartcall_security.xml): Operator < Supervisor <
Call-center Manager (implied chain), Field Agent (separate). The assertions use the
stable section menus of smartcall_campaign/views/menus.xml and the menus the stub addons
ship; other entries are added to these sections over time and are checked through the
"nothing outside the allowed sections" rules.
"""

from odoo.tests import TransactionCase, new_test_user, tagged

ROOT = "smartcall_campaign.menu_root"
OPERATIONS = "smartcall_campaign.menu_operations"
MONITORING = "smartcall_campaign.menu_monitoring"
REPORTING = "smartcall_campaign.menu_reporting"
CONFIGURATION = "smartcall_campaign.menu_configuration"
APPOINTMENTS = "smartcall_agenda.menu_appointments"
TO_RESCHEDULE = "smartcall_agenda.menu_to_reschedule"
BACKOFFICE_APPOINTMENTS = "smartcall_agenda.menu_backoffice_appointments"
APPOINTMENT_REPORT = "smartcall_agenda.menu_appointment_report"
CONTRACTS = "smartcall_outcomes.menu_contracts"
CALLER_LOOKUP = "smartcall_inbound.menu_caller_lookup"

# role -> the menus it must see; every other menu of this list must stay hidden.
EXPECTED_VISIBLE = {
    "plain": set(),
    "field_agent": {ROOT, APPOINTMENTS},
    "operator": {ROOT, OPERATIONS, APPOINTMENTS, TO_RESCHEDULE, CALLER_LOOKUP},
    "supervisor": {
        ROOT,
        OPERATIONS,
        APPOINTMENTS,
        TO_RESCHEDULE,
        BACKOFFICE_APPOINTMENTS,
        APPOINTMENT_REPORT,
        CALLER_LOOKUP,
        MONITORING,
        REPORTING,
        CONTRACTS,
    },
    "manager": {
        ROOT,
        OPERATIONS,
        APPOINTMENTS,
        TO_RESCHEDULE,
        BACKOFFICE_APPOINTMENTS,
        APPOINTMENT_REPORT,
        CALLER_LOOKUP,
        MONITORING,
        REPORTING,
        CONTRACTS,
        CONFIGURATION,
    },
}
ALL_CHECKED = set().union(*EXPECTED_VISIBLE.values())


@tagged("post_install", "-at_install")
class TestRolesMenus(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "plain": new_test_user(cls.env, "sc_plain", groups="base.group_user"),
            "field_agent": new_test_user(
                cls.env, "sc_agent", groups="smartcall_campaign.group_field_agent"
            ),
            "operator": new_test_user(
                cls.env, "sc_operator", groups="smartcall_campaign.group_operator"
            ),
            "supervisor": new_test_user(
                cls.env, "sc_supervisor", groups="smartcall_campaign.group_supervisor"
            ),
            "manager": new_test_user(
                cls.env, "sc_manager", groups="smartcall_campaign.group_manager"
            ),
        }
        cls.root = cls.env.ref(ROOT)

    def _visible(self, user):
        """Menu ids the web client shows to ``user``.

        ``_visible_menu_ids`` filters each menu on its own groups and action; the client
        then only reaches a menu through visible parents, so a menu counts as shown when
        it and all its parents are visible.
        """
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        menus = self.env["ir.ui.menu"].browse(visible)
        return {menu.id for menu in menus if all(p.id in visible for p in self._parents(menu))}

    def _parents(self, menu):
        parent = menu.parent_id
        while parent:
            yield parent
            parent = parent.parent_id

    def _subtree(self, xmlid):
        return self.env["ir.ui.menu"].search([("id", "child_of", self.env.ref(xmlid).id)])

    def _visible_under_root(self, user):
        return self._subtree(ROOT).filtered(lambda m: m.id in self._visible(user))

    def test_role_chain_is_implied(self):
        """Operator < Supervisor < Manager; the field agent is no operator."""
        users = self.users
        self.assertTrue(users["manager"].has_group("smartcall_campaign.group_supervisor"))
        self.assertTrue(users["manager"].has_group("smartcall_campaign.group_operator"))
        self.assertTrue(users["supervisor"].has_group("smartcall_campaign.group_operator"))
        self.assertFalse(users["supervisor"].has_group("smartcall_campaign.group_manager"))
        self.assertFalse(users["operator"].has_group("smartcall_campaign.group_supervisor"))
        self.assertFalse(users["field_agent"].has_group("smartcall_campaign.group_operator"))
        self.assertFalse(users["plain"].has_group("smartcall_campaign.group_field_agent"))

    def test_each_role_sees_its_menus(self):
        for role, expected in EXPECTED_VISIBLE.items():
            visible = self._visible(self.users[role])
            for xmlid in sorted(ALL_CHECKED):
                with self.subTest(role=role, menu=xmlid):
                    self.assertEqual(
                        self.env.ref(xmlid).id in visible,
                        xmlid in expected,
                        f"{role}: visibility of {xmlid}",
                    )

    def test_plain_user_sees_no_call_center_menu(self):
        self.assertFalse(self._visible_under_root(self.users["plain"]))

    def test_field_agent_sees_only_menus_granted_to_field_agents(self):
        """All a field agent sees under Call Center is granted to field agents."""
        agent_group = self.env.ref("smartcall_campaign.group_field_agent")
        root = self.env.ref(ROOT)
        for menu in self._visible_under_root(self.users["field_agent"]) - root:
            chain = menu
            while chain.parent_id != root:
                chain = chain.parent_id
            with self.subTest(menu=menu.complete_name):
                self.assertIn(
                    agent_group,
                    chain.groups_id,
                    f"{menu.complete_name} is visible to field agents",
                )

    def test_lower_roles_see_nothing_of_higher_sections(self):
        forbidden = {
            "field_agent": [OPERATIONS, MONITORING, REPORTING, CONFIGURATION],
            "operator": [MONITORING, REPORTING, CONFIGURATION],
            "supervisor": [CONFIGURATION],
        }
        for role, sections in forbidden.items():
            visible = self._visible(self.users[role])
            for section in sections:
                with self.subTest(role=role, section=section):
                    shown = self._subtree(section).filtered(lambda m, v=visible: m.id in v)
                    self.assertFalse(shown, f"{role} sees {shown.mapped('complete_name')}")
