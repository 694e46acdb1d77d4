"""Italian defaults for a freshly created Smartcall database.

Run by tools/install-and-run.sh right after it installed the addons: ``python
tools/setup_database.py -c odoo.conf -d smartcall``. It sets the administrator's
language (Italian, already loaded with ``--load-language=it_IT``) and time zone, and the
company's country (Italy), so the demo opens as an Italian call center would. It only
runs on a database it just created, so it never overwrites what a user changed later.
"""

import argparse

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="database name")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    # The cursor commits when the block ends without error.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        italy = env.ref("base.it")
        env.ref("base.main_company").write({"country_id": italy.id})
        env.ref("base.user_admin").write({"lang": "it_IT", "tz": "Europe/Rome"})


if __name__ == "__main__":
    main()
