#!/usr/bin/env bash
# Install everything Smartcall needs, create the demo database and run Odoo on http://localhost:8069.
#
#   bash tools/install-and-run.sh [--no-run] [--odoo-src DIR] [--db NAME] [--port N]
#
# Installs only what is missing (system packages with apt, Python packages with pip, Odoo 18 when no
# Odoo 18 is importable: from --odoo-src DIR / $ODOO_SRC, else a clone of Odoo's official sources),
# starts PostgreSQL when it is down and creates a role for the current user. The database (default
# "smartcall") is created once, with all five addons, demo data and Italian; when it exists it is
# only started, so a second run changes nothing and loses no data.
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    cat <<'EOF'

Options:
  --no-run        install and create the database, do not start Odoo
  --install-only  install the software only (no database, no server); used by tools/run-tests.sh
  --odoo-src DIR  use the Odoo 18 source tree DIR (also: ODOO_SRC=DIR)
  --db NAME       database name (default: smartcall)
  --port N        HTTP port (default: 8069)
EOF
}

DB=smartcall
PORT=8069
RUN=1
INSTALL_ONLY=0
while [ $# -gt 0 ]; do
    case "$1" in
    --no-run) RUN=0 ;;
    --install-only) INSTALL_ONLY=1 ;;
    --odoo-src) ODOO_SRC="${2:?--odoo-src needs a directory}" && shift ;;
    --odoo-src=*) ODOO_SRC="${1#*=}" ;;
    --db) DB="${2:?--db needs a name}" && shift ;;
    --db=*) DB="${1#*=}" ;;
    --port) PORT="${2:?--port needs a number}" && shift ;;
    --port=*) PORT="${1#*=}" ;;
    -h | --help) usage && exit 0 ;;
    *) usage >&2 && sc_die "Unknown option '$1': see the usage above." ;;
    esac
    shift
done

sc_install_all
[ "$INSTALL_ONLY" = 1 ] && exit 0

CONF="$SC_HOME/odoo.conf"
sc_write_conf "$CONF" "$PORT"
ADDONS_CSV="$(
    IFS=,
    echo "${SC_ADDONS[*]}"
)"

# Which of the five addons the database still lacks (all five for a new database).
missing_addons() {
    local installed name out=()
    installed="$(sc_psql -d "$DB" -c "SELECT name FROM ir_module_module WHERE state = 'installed'" 2>/dev/null)" ||
        sc_die "Database $DB exists but is not an Odoo database: choose another name with --db NAME or drop it (dropdb $DB), then run this command again."
    for name in "${SC_ADDONS[@]}"; do
        grep -qx "$name" <<<"$installed" || out+=("$name")
    done
    (
        IFS=,
        echo "${out[*]}"
    )
}

if sc_db_exists "$DB"; then
    TODO="$(missing_addons)"
    if [ -n "$TODO" ]; then
        sc_say "Database $DB exists; installing the missing addons: $TODO"
    else
        sc_say "Database $DB exists with all Smartcall addons: nothing to install"
    fi
else
    TODO="$ADDONS_CSV"
    sc_say "Creating database $DB with the Smartcall addons, demo data and Italian (a few minutes)"
fi

if [ -n "$TODO" ]; then
    if ! sc_db_exists "$DB"; then
        "$SC_PY" "$SC_REPO/tools/setup_database.py" -c "$CONF" -d "$DB" --create ||
            sc_die "Creating database $DB failed (see the messages above): drop it (dropdb $DB) and run this command again."
    fi
    sc_odoo -c "$CONF" -d "$DB" -i "$TODO" --load-language=it_IT --stop-after-init --log-level=warn ||
        sc_die "Installing the Smartcall addons into database $DB failed (see the Odoo log above): fix the error and run this command again."
    [ -z "$(missing_addons)" ] ||
        sc_die "Odoo did not install $(missing_addons) into database $DB (see the Odoo log above): fix the error and run this command again."
    "$SC_PY" "$SC_REPO/tools/setup_database.py" -c "$CONF" -d "$DB" ||
        sc_die "Setting Italian defaults on database $DB failed (see the messages above): fix the error and run this command again."
fi

if [ "$RUN" = 0 ]; then
    START="bash tools/install-and-run.sh"
    [ "$DB" = smartcall ] || START+=" --db $DB"
    [ "$PORT" = 8069 ] || START+=" --port $PORT"
    sc_say "Database $DB is ready. Start Odoo with: $START"
    exit 0
fi

"$SC_PY" -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("0.0.0.0", int(sys.argv[1])))
except OSError:
    sys.exit(1)' "$PORT" ||
    sc_die "Port $PORT is already in use (is Odoo already running?): stop that program or choose another port with --port N."

echo
echo "Smartcall is starting on http://localhost:$PORT (database $DB)."
echo "Log in with: admin / admin"
echo "Stop it with Ctrl+C."
echo
exec "$SC_PY" -m odoo -c "$CONF" -d "$DB" --db-filter="^${DB}\$"
