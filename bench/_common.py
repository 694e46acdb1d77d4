# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""Shared database building for the benches of bench/ (not a test).

* `install_database`: a fresh database with the given addons installed (odoo CLI);
* `create_operators_and_campaign`: N operators and a running campaign open around the clock;
* `bulk_contacts`: N contacts (and their partners) with SQL `generate_series`, in the shape
  of a real queue: 10% already done, 0.1% public callbacks due, 1% retries due, 1% retries
  later, the rest new, and 0.5% of the numbers in the do-not-call list;
* `percentile`, `psql`.
"""

import os
import random
import subprocess
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def odoo_addons_path():
    """The installed Odoo's own addons folders, then this repository."""
    import odoo  # here: only the benches that build a database need Odoo

    source = os.path.dirname(odoo.__path__[0])
    paths = [os.path.join(odoo.__path__[0], "addons"), os.path.join(source, "addons")]
    return ",".join([p for p in paths if os.path.isdir(p)] + [REPO])


ADDONS = odoo_addons_path()


def psql(db, sql):
    subprocess.run(["psql", "-q", "-d", db, "-c", sql], check=True)


def psql_rows(db, sql):
    out = subprocess.run(
        ["psql", "-Atq", "-F", "\t", "-d", db, "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def required_columns(db, table, given):
    """NOT NULL columns of `table` without a database default, other than `given`: the ORM
    fills them (e.g. res_partner.autopost_bills once account is installed), bulk SQL must too."""
    rows = psql_rows(
        db,
        f"""SELECT column_name FROM information_schema.columns
             WHERE table_name = '{table}' AND is_nullable = 'NO' AND column_default IS NULL
             ORDER BY column_name""",
    )
    return [row[0] for row in rows if row[0] not in given]


def install_database(db, addons_path, modules):
    """Drop `db` and install `modules` (comma separated) in it, without demo data."""
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    t0 = time.time()
    subprocess.run(
        [
            "odoo",
            "-d",
            db,
            f"--addons-path={addons_path}",
            "-i",
            modules,
            "--stop-after-init",
            "--without-demo=all",
            "--no-http",
            "--log-level=warn",
        ],
        check=True,
    )
    print(f"database {db} installed in {time.time() - t0:.1f}s")


def create_operators_and_campaign(env, operators, name="Bench", tz=None):
    """`operators` operator users and a running campaign (all day, every day) they work on.
    Returns (user ids, campaign id); the caller commits."""
    group = env.ref("smartcall_campaign.group_operator")
    user_vals = [
        {
            "name": f"{name} operator {i}",
            "login": f"bench_op_{i}_{random.random()}",
            "groups_id": [(6, 0, group.ids)],
        }
        for i in range(operators)
    ]
    if tz:
        for vals in user_vals:
            vals["tz"] = tz
    users = env["res.users"].create(user_vals)
    campaign_vals = {
        "name": name,
        "operator_ids": [(6, 0, users.ids)],
        "resource_calendar_id": env.ref("smartcall_campaign.resource_calendar_always_open").id,
        "state": "running",
    }
    if tz:
        campaign_vals["tz"] = tz
    campaign = env["smartcall.campaign"].create(campaign_vals)
    return users.ids, campaign.id


def bulk_contacts(db, campaign_id, n):
    """`n` partners and campaign contacts with bulk SQL (see the module docstring), then
    VACUUM ANALYZE. The campaign must be committed."""
    t0 = time.time()
    given = {"name", "complete_name", "active", "type", "is_company"}
    given |= {"phone", "smartcall_phone_e164"}
    given |= {"create_uid", "write_uid", "create_date", "write_date"}
    # Other required columns take the value of the company's partner (an ORM-made row).
    extra = required_columns(db, "res_partner", given)
    extra_cols = "".join(f", {col}" for col in extra)
    extra_vals = "".join(f", proto.{col}" for col in extra)
    psql(
        db,
        f"""INSERT INTO res_partner (name, complete_name, active, type, is_company,
                                     phone, smartcall_phone_e164,
                                     create_uid, write_uid, create_date, write_date{extra_cols})
            SELECT 'Bench customer ' || g, 'Bench customer ' || g, TRUE, 'contact', TRUE,
                   '+39088' || lpad(g::text, 7, '0'), '+39088' || lpad(g::text, 7, '0'),
                   1, 1, now(), now(){extra_vals}
              FROM generate_series(1, {n}) g,
                   (SELECT * FROM res_partner ORDER BY id LIMIT 1) proto""",
    )
    # 10% already done, 0.1% public callbacks due, 1% retries due, 1% retries later,
    # the rest new; 0.5% of the numbers in the do-not-call list.
    psql(
        db,
        f"""INSERT INTO smartcall_campaign_contact
                (campaign_id, partner_id, state, queue_priority, next_call_at, attempt_count,
                 create_uid, write_uid, create_date, write_date)
            SELECT {campaign_id}, p.id,
                   CASE WHEN p.rn % 10 = 0 THEN 'done' ELSE 'queued' END,
                   CASE WHEN p.rn % 1000 = 1 THEN 30 WHEN p.rn % 100 IN (3, 5) THEN 20
                        ELSE 10 END,
                   CASE WHEN p.rn % 1000 = 1 THEN now() - interval '5 minutes'
                        WHEN p.rn % 100 = 3 THEN now() - interval '1 hour'
                        WHEN p.rn % 100 = 5 THEN now() + interval '3 hours' END,
                   0, 1, 1, now(), now()
              FROM (SELECT id, row_number() OVER (ORDER BY id) rn FROM res_partner
                     WHERE name LIKE 'Bench customer %%') p""".replace("%%", "%"),
    )
    psql(
        db,
        """INSERT INTO phone_blacklist (number, active, create_uid, write_uid, create_date,
                                        write_date)
           SELECT p.smartcall_phone_e164, TRUE, 1, 1, now(), now()
             FROM smartcall_campaign_contact c JOIN res_partner p ON p.id = c.partner_id
            WHERE c.id % 200 = 7 ON CONFLICT DO NOTHING""",
    )
    psql(db, "VACUUM ANALYZE res_partner, smartcall_campaign_contact, phone_blacklist")
    print(f"{n:,} contacts built in {time.time() - t0:.1f}s")


def percentile(values, pct):
    if not values:
        return float("nan")
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(pct / 100.0 * len(values) + 0.5) - 1))
    return values[index]
