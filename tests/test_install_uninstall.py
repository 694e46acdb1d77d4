"""Every Smartcall addon installs alone on an empty database, and uninstalls cleanly.

Module operations are not allowed inside a test transaction, so this test drives real
``odoo`` processes on throwaway databases named after the test database
(``<testdb>_iu_<addon>``), dropped at the end:

* one empty database (only ``base``, copied from a template) per addon: ``odoo -i
  <addon> --without-demo=all --stop-after-init`` must install exactly the addon and its
  Smartcall dependencies; then the addon is uninstalled there;
* on the databases of the leaf addons (agenda, inbound), the Smartcall addons left are
  then uninstalled too, leaf first, one by one, down to none.

The databases are processed two at a time (install, uninstall) in setUpClass; the tests
check the recorded results.

After each uninstall the module is ``uninstalled``, its models are gone from the
registry, from ``ir_model`` and from the database, and none of its external ids is left
(tests/module_ops.py).
"""

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import odoo
from odoo.modules.module import get_manifest
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import SQL

ADDONS = [
    "smartcall_campaign",
    "smartcall_outcomes",
    "smartcall_agenda",
    "smartcall_voip",
    "smartcall_inbound",
]
MODULE_OPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "module_ops.py")
TIMEOUT = 900


def smartcall_closure(addon):
    """The addon and every Smartcall addon it depends on, directly or not."""
    todo, seen = [addon], set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += [dep for dep in get_manifest(name)["depends"] if dep in ADDONS]
    return seen


def leaf_first(addons):
    """Order addons so that each comes before the addons it depends on."""
    return sorted(addons, key=lambda a: -len(smartcall_closure(a)))


@tagged("post_install", "-at_install", "smartcall_install")
class TestInstallUninstall(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config_file = odoo.tools.config.rcfile
        prefix = f"{get_db_name()}_iu"
        cls.template_db = f"{prefix}_base"
        cls.databases = {addon: f"{prefix}_{addon.removeprefix('smartcall_')}" for addon in ADDONS}
        cls.addClassCleanup(cls._drop_all)
        cls._drop_all()
        cls.template_result = cls._odoo(*cls._odoo_args(cls.template_db, "base"))
        if cls.template_result.returncode:
            return
        for db in cls.databases.values():
            cls._copy_database(cls.template_db, db)
        with ThreadPoolExecutor(max_workers=2) as pool:
            cls.results = dict(
                zip(ADDONS, pool.map(cls._install_and_uninstall, ADDONS), strict=False)
            )

    @classmethod
    def _drop_all(cls):
        for db in [cls.template_db, *cls.databases.values()]:
            cls._drop(db)

    @classmethod
    def _drop(cls, db):
        odoo.sql_db.close_db(db)
        with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
            cr._cnx.autocommit = True
            cr.execute(SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(db)))
        shutil.rmtree(odoo.tools.config.filestore(db), ignore_errors=True)

    @classmethod
    def _copy_database(cls, source, target):
        with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
            cr._cnx.autocommit = True
            cr.execute(
                SQL(
                    "CREATE DATABASE %s TEMPLATE %s",
                    SQL.identifier(target),
                    SQL.identifier(source),
                )
            )
        if os.path.isdir(odoo.tools.config.filestore(source)):
            shutil.copytree(
                odoo.tools.config.filestore(source), odoo.tools.config.filestore(target)
            )

    @classmethod
    def _odoo_args(cls, db, modules):
        return (
            "-m",
            "odoo",
            "-c",
            cls.config_file,
            "-d",
            db,
            "-i",
            modules,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        )

    @classmethod
    def _odoo(cls, *args):
        return subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    @classmethod
    def _module_ops(cls, db, action, *modules):
        proc = cls._odoo(MODULE_OPS, "-c", cls.config_file, "-d", db, action, *modules)
        if proc.returncode:
            return {"error": proc.stderr[-3000:]}
        return json.loads(proc.stdout.strip().splitlines()[-1])

    @classmethod
    def _install_and_uninstall(cls, addon):
        """Install ``addon`` alone on its database, then uninstall it.

        On a leaf addon's database, the Smartcall addons it pulled in go too.
        """
        db = cls.databases[addon]
        result = {"install": cls._odoo(*cls._odoo_args(db, addon))}
        if result["install"].returncode:
            return result
        result["states_installed"] = cls._module_ops(db, "states")
        is_leaf = not any(addon in get_manifest(other)["depends"] for other in ADDONS)
        to_remove = leaf_first(smartcall_closure(addon)) if is_leaf else [addon]
        result["uninstall"] = cls._module_ops(db, "uninstall", *to_remove)
        result["states_uninstalled"] = cls._module_ops(db, "states")
        return result

    def _installed(self, states):
        self.assertNotIn("error", states)
        return {name for name, state in states.items() if state == "installed"}

    def _result(self, addon):
        self.assertEqual(
            self.template_result.returncode,
            0,
            "creating the empty database failed:\n" + self.template_result.stderr[-3000:],
        )
        result = self.results[addon]
        install = result["install"]
        self.assertEqual(
            install.returncode, 0, f"odoo -i {addon} failed:\n{install.stderr[-3000:]}"
        )
        return result

    def _assert_uninstalled(self, result):
        module = result["module"]
        self.assertEqual(result["state"], "uninstalled", module)
        self.assertEqual(result["models_in_registry"], [], f"{module} left models in the registry")
        self.assertEqual(result["models_in_ir_model"], [], f"{module} left ir.model records")
        self.assertEqual(result["tables_left"], [], f"{module} left tables")
        self.assertEqual(result["xmlids_left"], 0, f"{module} left external ids")

    def test_each_addon_installs_alone(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                result = self._result(addon)
                self.assertEqual(
                    self._installed(result["states_installed"]),
                    smartcall_closure(addon),
                )

    def test_each_addon_uninstalls(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                result = self._result(addon)
                self.assertNotIn("error", result["uninstall"])
                self.assertEqual(result["uninstall"][0]["module"], addon)
                self._assert_uninstalled(result["uninstall"][0])

    def test_leaf_addons_uninstall_leaf_first_down_to_none(self):
        leaves = [a for a in ADDONS if not any(a in get_manifest(o)["depends"] for o in ADDONS)]
        self.assertEqual(set(leaves), {"smartcall_agenda", "smartcall_inbound"})
        for addon in leaves:
            with self.subTest(addon=addon):
                result = self._result(addon)
                self.assertNotIn("error", result["uninstall"])
                removed = [r["module"] for r in result["uninstall"]]
                self.assertEqual(removed, leaf_first(smartcall_closure(addon)))
                for step in result["uninstall"]:
                    self._assert_uninstalled(step)
                self.assertEqual(self._installed(result["states_uninstalled"]), set())
