"""One throwaway cluster and one template database per pytest run, shared by the crash tests.

``crash_run()`` starts them on first use (about 45 s: ``odoo -i smartcall_outcomes`` once,
then the fixtures below), later calls return the same objects; everything is stopped and
removed when the Python process exits (and by the next run if this one was killed).
Each test module copies the template (``CREATE DATABASE ... TEMPLATE``, about a second).
"""

import atexit
import os
import threading

from .odoo_server import OdooEnv
from .pgcluster import PgCluster
from .procs import cleanup_dead_run, kill_group, new_run_dir

TEMPLATE_DB = "sc_crash_template"
MODULES = "smartcall_outcomes"
PASSWORD = "crash-test-pw"
OPERATORS = ("sc_crash_op1", "sc_crash_op2", "sc_crash_op3", "sc_crash_op4")
ADMIN = ("admin", "admin")
CONTACTS = 40

# Fixtures of the template: operators, one manual and one automatic campaign always open,
# a product, CONTACTS contacts with a landline each (in the manual campaign) and 10 in the
# automatic one.
FIXTURE_SCRIPT = f"""
env = env(context=dict(env.context, tracking_disable=True))
env["ir.config_parameter"].sudo().set_param("smartcall_campaign.default_region", "IT")
group = env.ref("smartcall_campaign.group_operator")
users = env["res.users"]
for login in {OPERATORS!r}:
    users |= env["res.users"].create({{
        "name": login.replace("sc_crash_", "Operator ").title(), "login": login,
        "password": {PASSWORD!r}, "tz": "Europe/Rome",
        "groups_id": [(6, 0, [group.id, env.ref("base.group_user").id])],
    }})
common = {{
    "operator_ids": [(6, 0, users.ids)],
    "resource_calendar_id": env.ref("smartcall_campaign.resource_calendar_always_open").id,
    "retry_wait_minutes": 60, "max_attempts": 5,
    "tz": "Europe/Rome",
}}
manual = env["smartcall.campaign"].create(dict(common, name="Crash manual", mode="manual"))
auto = env["smartcall.campaign"].create(dict(common, name="Crash automatic", mode="automatic"))
italy = env.ref("base.it")
for campaign, prefix, count in (
    (manual, "Crash Customer", {CONTACTS}),
    (auto, "Auto Customer", 10),
):
    for index in range(1, count + 1):
        partner = env["res.partner"].create({{
            "name": f"{{prefix}} {{index:02d}}", "is_company": True, "country_id": italy.id,
            "city": "Foggia", "phone": f"+39 0881 {{campaign.id}}{{index:05d}}",
        }})
        env["smartcall.campaign.contact"].create({{
            "campaign_id": campaign.id, "partner_id": partner.id,
        }})
    campaign.contact_ids.write({{"state": "queued"}})
    campaign.action_start()
env["product.product"].create({{
    "name": "Fibre 1 Gbps", "sale_ok": True, "list_price": 29.9, "type": "service",
}})
env.cr.commit()
print("FIXTURES-OK", manual.id, auto.id)
"""


class CrashRun:
    def __init__(self):
        self.run_dir = new_run_dir()
        self.cluster = None
        self.odoo = None
        self._lock = threading.Lock()

    def start(self):
        self.cluster = PgCluster(os.path.join(self.run_dir, "pg")).start()
        self.odoo = OdooEnv(self.cluster, self.run_dir)
        self.odoo.run_once(
            TEMPLATE_DB,
            "-i",
            MODULES,
            "--stop-after-init",
            "--log-level=warn",
            timeout=2400,
        )
        out = self.odoo.shell(TEMPLATE_DB, FIXTURE_SCRIPT)
        if "FIXTURES-OK" not in out:
            raise RuntimeError(f"The crash-test fixtures were not created:\n{out[-3000:]}")
        return self

    def new_database(self, name):
        """A fresh copy of the template (name must start with sc_crash_)."""
        assert name.startswith("sc_crash_"), name
        self.odoo.copy_database(TEMPLATE_DB, name)
        return name

    def teardown(self):
        pids_dir = os.path.join(self.run_dir, "pids")
        if os.path.isdir(pids_dir):
            for name in os.listdir(pids_dir):
                kill_group(int(name))
        if self.cluster:
            self.cluster.destroy()
        cleanup_dead_run(self.run_dir)


_RUN = None
_RUN_LOCK = threading.Lock()


def crash_run():
    """The run's cluster and template, started on first call."""
    global _RUN
    with _RUN_LOCK:
        if _RUN is None:
            run = CrashRun()
            atexit.register(run.teardown)
            try:
                run.start()
            except BaseException:
                run.teardown()
                raise
            _RUN = run
        return _RUN
