"""One throwaway cluster and template database with smartcall_voip, shared by the VoIP tests
that run real Odoo servers (tests/test_voip_*.py): the AMI client runs inside those servers,
as in production, and the tests drive the console over JSON-RPC as operators.

Template fixtures: a PBX "Test PBX" (keep-alive 1 s; each test points it at its own AMI peer
or Asterisk before starting a server), operators sc_voip_op1 (PJSIP/201) and sc_voip_op2
(PJSIP/202), a manual campaign always open with CONTACTS contacts: "Voip Customer NN" with
landline +39 0881 5500NN, customer 01 also with mobile +39 333 55000 01, customer 02 with
a mobile in the do-not-call list (+39 333 55000 02); "Voip Busy" (+39 0881 486001), "Voip
Invalid" (+39 0881 404001) and "Voip NoAnswer" (+39 0881 408001) for the carrier's
busy, 404 and never-answering routes (tests/tooling/asterisk_rig.py).

The inbound template (``VoipRun.inbound_template()``, built on first use from the VoIP
template): smartcall_inbound installed, an operator sc_voip_op3 on PJSIP/203 (the rig's
softphone that never answers), an inbound campaign "Voip inbound" (portfolio type "Inbound
Business") and its customer "Inbound Rossi Srl" (+39 0881 123456, the rig's caller), held in
that portfolio by sc_voip_op1.
"""

import atexit
import importlib.util
import os
import shutil
import threading

from .odoo_server import OdooEnv
from .pgcluster import PgCluster
from .procs import RUNS_ROOT, cleanup_dead_run, kill_group

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE_DB = "sc_voip_template"
INBOUND_TEMPLATE_DB = "sc_voip_inbound_template"
MODULES = "smartcall_voip"
PASSWORD = "voip-test-pw"
OPERATORS = (("sc_voip_op1", "PJSIP/201"), ("sc_voip_op2", "PJSIP/202"))
CONTACTS = 12
HTTP_PORTS = range(8220, 8230)

FIXTURE_SCRIPT = f"""
env = env(context=dict(env.context, tracking_disable=True))
env["ir.config_parameter"].sudo().set_param("smartcall_campaign.default_region", "IT")
pbx = env["smartcall.pbx"].create({{
    "name": "Test PBX", "host": "127.0.0.1", "port": 1, "ami_user": "smartcall",
    "ami_secret": "smartcall-secret", "keepalive_interval": 1, "ring_timeout": 20,
}})
group = env.ref("smartcall_campaign.group_operator")
users = env["res.users"]
for login, extension in {OPERATORS!r}:
    users |= env["res.users"].create({{
        "name": login.replace("sc_voip_", "Operator ").title(), "login": login,
        "password": {PASSWORD!r}, "tz": "Europe/Rome",
        "groups_id": [(6, 0, [group.id, env.ref("base.group_user").id])],
        "pbx_id": pbx.id, "pbx_extension": extension,
    }})
campaign = env["smartcall.campaign"].create({{
    "name": "Voip manual", "mode": "manual", "operator_ids": [(6, 0, users.ids)],
    "resource_calendar_id": env.ref("smartcall_campaign.resource_calendar_always_open").id,
    "retry_wait_minutes": 60, "max_attempts": 5, "tz": "Europe/Rome",
}})
italy = env.ref("base.it")
for index in range(1, {CONTACTS} + 1):
    values = {{
        "name": f"Voip Customer {{index:02d}}", "is_company": True, "country_id": italy.id,
        "city": "Foggia", "phone": f"+39 0881 5500{{index:02d}}",
    }}
    if index in (1, 2):
        values["mobile"] = f"+39 333 55000{{index:02d}}"
    partner = env["res.partner"].create(values)
    env["smartcall.campaign.contact"].create(
        {{"campaign_id": campaign.id, "partner_id": partner.id}}
    )
for name, phone in (("Voip Busy", "+39 0881 486001"), ("Voip Invalid", "+39 0881 404001"),
                    ("Voip NoAnswer", "+39 0881 408001")):
    partner = env["res.partner"].create({{
        "name": name, "is_company": True, "country_id": italy.id, "city": "Foggia", "phone": phone,
    }})
    env["smartcall.campaign.contact"].create(
        {{"campaign_id": campaign.id, "partner_id": partner.id}}
    )
campaign.contact_ids.write({{"state": "queued"}})
campaign.action_start()
env["phone.blacklist"].sudo()._add(["+393335500002"])
env.cr.commit()
print("FIXTURES-OK", campaign.id, pbx.id)
"""

INBOUND_OPERATOR = ("sc_voip_op3", "PJSIP/203")
INBOUND_CUSTOMER = "Inbound Rossi Srl"
INBOUND_FIXTURE_SCRIPT = f"""
env = env(context=dict(env.context, tracking_disable=True))
pbx = env["smartcall.pbx"].search([("name", "=", "Test PBX")])
login, extension = {INBOUND_OPERATOR!r}
operator = env["res.users"].create({{
    "name": "Operator Op3", "login": login, "password": {PASSWORD!r}, "tz": "Europe/Rome",
    "groups_id": [(6, 0, [env.ref("smartcall_campaign.group_operator").id,
                          env.ref("base.group_user").id])],
    "pbx_id": pbx.id, "pbx_extension": extension,
}})
operators = env["res.users"].search([("pbx_id", "=", pbx.id)])
holder = env["res.users"].search([("login", "=", {OPERATORS[0][0]!r})])
portfolio = env["smartcall.portfolio.type"].create({{"name": "Inbound Business"}})
campaign = env["smartcall.campaign"].create({{
    "name": "Voip inbound", "direction": "in", "portfolio_type_id": portfolio.id,
    "inbound_number": "203", "operator_ids": [(6, 0, operators.ids)], "tz": "Europe/Rome",
    "resource_calendar_id": env.ref("smartcall_campaign.resource_calendar_always_open").id,
}})
campaign.action_start()
partner = env["res.partner"].create({{
    "name": {INBOUND_CUSTOMER!r}, "is_company": True, "country_id": env.ref("base.it").id,
    "city": "Foggia", "phone": "0881 123456",
}})
env["smartcall.portfolio.assignment"].create({{
    "partner_id": partner.id, "portfolio_type_id": portfolio.id, "user_id": holder.id,
}})
env["smartcall.inbound.action"].create({{"name": "Voip brochure"}})
env["smartcall.inbound.group"].create({{"name": "Voip billing"}})
env.cr.commit()
print("INBOUND-FIXTURES-OK", campaign.id)
"""


def load_ami_peer():
    """smartcall_voip's protocol-level AMI peer (plain Python), loaded from its file so that
    these tests also run without Odoo's addons path."""
    path = os.path.join(
        os.path.dirname(os.path.dirname(HERE)), "smartcall_voip", "tests", "ami_peer.py"
    )
    spec = importlib.util.spec_from_file_location("smartcall_voip_ami_peer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.AmiPeer


class VoipRun:
    def __init__(self):
        # beside the crash tests' run directory of this process (new_run_dir() would empty it)
        self.run_dir = os.path.join(RUNS_ROOT, f"run-{os.getpid()}-voip")
        shutil.rmtree(self.run_dir, ignore_errors=True)
        os.makedirs(os.path.join(self.run_dir, "pids"))
        self.cluster = None
        self.odoo = None
        self.campaign_id = None
        self.pbx_id = None
        self.inbound_campaign_id = None

    def start(self):
        self.cluster = PgCluster(os.path.join(self.run_dir, "pg")).start()
        self.odoo = OdooEnv(self.cluster, self.run_dir)
        self.odoo.run_once(
            TEMPLATE_DB, "-i", MODULES, "--stop-after-init", "--log-level=warn", timeout=2400
        )
        out = self.odoo.shell(TEMPLATE_DB, FIXTURE_SCRIPT)
        if "FIXTURES-OK" not in out:
            raise RuntimeError(f"The VoIP test fixtures were not created:\n{out[-3000:]}")
        campaign_id, pbx_id = out.split("FIXTURES-OK", 1)[1].split()[:2]
        self.campaign_id, self.pbx_id = int(campaign_id), int(pbx_id)
        return self

    def inbound_template(self):
        """The inbound template (see the module's docstring), built once per run."""
        with _RUN_LOCK:
            if self.inbound_campaign_id is None:
                self.odoo.copy_database(TEMPLATE_DB, INBOUND_TEMPLATE_DB)
                self.odoo.run_once(
                    INBOUND_TEMPLATE_DB,
                    "-i",
                    "smartcall_inbound",
                    "--stop-after-init",
                    "--log-level=warn",
                    timeout=2400,
                )
                out = self.odoo.shell(INBOUND_TEMPLATE_DB, INBOUND_FIXTURE_SCRIPT)
                if "INBOUND-FIXTURES-OK" not in out:
                    raise RuntimeError(f"The inbound fixtures were not created:\n{out[-3000:]}")
                self.inbound_campaign_id = int(out.split("INBOUND-FIXTURES-OK", 1)[1].split()[0])
        return INBOUND_TEMPLATE_DB

    def new_database(self, name, ami_port, ami_secret="smartcall-secret", template=TEMPLATE_DB):
        """A fresh copy of `template` whose PBX points at 127.0.0.1:`ami_port`."""
        assert name.startswith("sc_voip_"), name
        self.odoo.copy_database(template, name)
        self.cluster.execute(
            "UPDATE smartcall_pbx SET port = %s, ami_secret = %s",
            (ami_port, ami_secret),
            dbname=name,
        )
        return name

    def server(self, db, name="server", extra_args=(), workers=0):
        return self.odoo.server(
            db, name=name, ports=HTTP_PORTS, extra_args=extra_args, workers=workers
        )

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


def voip_run():
    """The run's cluster and VoIP template, started on first call."""
    global _RUN
    with _RUN_LOCK:
        if _RUN is None:
            run = VoipRun()
            atexit.register(run.teardown)
            try:
                run.start()
            except BaseException:
                run.teardown()
                raise
            _RUN = run
        return _RUN
