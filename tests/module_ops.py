"""Uninstall Odoo modules in a database and report what is left, as JSON.

Used by tests/test_install_uninstall.py in a subprocess, because installing and
uninstalling modules is not allowed inside a test transaction::

python tests/module_ops.py -c odoo.conf -d DB uninstall smartcall_inbound smartcall_voip
python tests/module_ops.py -c odoo.conf -d DB states

``uninstall`` removes the modules one by one, in the order given, and prints one JSON
object per module: its state afterwards, the models it created (those only it declared)
and which of them are still in the registry, the ir_model table or the database, and its
remaining external ids.
"""

import argparse
import json
import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools.sql import table_exists


def _own_models(env, module):
    """Models the module creates (not the ones it only extends), with their table."""
    data = env["ir.model.data"].search([("module", "=", module), ("model", "=", "ir.model")])
    own = {}
    for model in env["ir.model"].browse(data.mapped("res_id")).exists():
        if model.model in env and env[model.model]._original_module == module:
            record = env[model.model]
            own[model.model] = record._table if record._auto and not record._abstract else None
    return own


def uninstall(database, modules):
    results = []
    for module in modules:
        registry = Registry(database)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            own = _own_models(env, module)
            env["ir.module.module"].search([("name", "=", module)]).button_immediate_uninstall()
        registry = Registry(database)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            state = env["ir.module.module"].search([("name", "=", module)]).state
            results.append(
                {
                    "module": module,
                    "state": state,
                    "models": sorted(own),
                    "models_in_registry": sorted(m for m in own if m in env),
                    "models_in_ir_model": sorted(
                        env["ir.model"].search([("model", "in", list(own))]).mapped("model")
                    ),
                    "tables_left": sorted(t for t in own.values() if t and table_exists(cr, t)),
                    "xmlids_left": env["ir.model.data"].search_count([("module", "=", module)]),
                }
            )
    return results


def states(database):
    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        mods = env["ir.module.module"].search([("name", "like", "smartcall_")])
        return {m.name: m.state for m in mods}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("action", choices=["uninstall", "states"])
    parser.add_argument("modules", nargs="*")
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn", "--no-http"]
    )
    if args.action == "uninstall":
        result = uninstall(args.database, args.modules)
    else:
        result = states(args.database)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
