"""Create an Italian Smartcall database, and set its Italian defaults.

Run by tools/install-and-run.sh (and by the demo data test) on a database it creates:

1. ``python tools/setup_database.py -c odoo.conf -d smartcall --create`` creates the
   database as Odoo's database manager does for a company in Italy: demo data, Italian,
   admin/admin, the company in Italy with the euro, users in Europe/Rome, and the Italian
   chart of accounts (``l10n_it``, installed first so that the products and the demo's
   orders get its 22% VAT).
2. ``python tools/setup_database.py -c odoo.conf -d smartcall``, after the addons are
   installed, sets the administrator's language and time zone and the company's country.

Both only run on a database the command just created, so they never overwrite what a user
changed later.
"""

import argparse
import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service import db as db_service


def create_database(name):
    """An empty database initialised like the database manager's "Create" for Italy."""
    # exp_create_database logs a failed initialisation instead of raising: check the result.
    db_service.exp_create_database(name, True, "it_IT", "admin", "admin", "IT")
    registry = Registry(name)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        currency = env.ref("base.main_company").currency_id.name
    if currency != "EUR":
        sys.exit(f"Database {name} was not initialised for Italy (company currency {currency}).")
    # Installed before the addons: installed after them, the chart would leave the demo's
    # products and orders without VAT.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.module.module"].search([("name", "=", "l10n_it")]).button_immediate_install()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="database name")
    parser.add_argument(
        "--create", action="store_true", help="create the database (it must not exist yet)"
    )
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    if args.create:
        create_database(args.database)
        return
    registry = Registry(args.database)
    # The cursor commits when the block ends without error.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        italy = env.ref("base.it")
        env.ref("base.main_company").write({"country_id": italy.id})
        env.ref("base.user_admin").write({"lang": "it_IT", "tz": "Europe/Rome"})


if __name__ == "__main__":
    main()
