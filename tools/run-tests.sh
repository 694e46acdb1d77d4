#!/usr/bin/env bash
# Run the whole Smartcall test suite on a fresh test database.
#
#   bash tools/run-tests.sh [--odoo-src DIR] [-- PYTEST_ARGS...]
#
# Installs what is missing (same step as tools/install-and-run.sh, without its database or server),
# drops and re-creates the test database (default "smartcall_test", or $SMARTCALL_TEST_DB) with all
# five addons, no demo data and Italian loaded, then runs pytest (pytest-odoo) on every addon's tests
# and on the root tests/ folder, with an Odoo HTTP server for the browser tests. It fails when a test
# fails, when a test is skipped (see conftest.py) and when no test is found.
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PYTEST_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
    --odoo-src) ODOO_SRC="${2:?--odoo-src needs a directory}" && shift ;;
    --odoo-src=*) ODOO_SRC="${1#*=}" ;;
    --) shift && PYTEST_ARGS=("$@") && break ;;
    -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) sc_die "Unknown option '$1': run 'bash tools/run-tests.sh --help'." ;;
    esac
    shift
done

START=$SECONDS
sc_install_all

TEST_DB="${SMARTCALL_TEST_DB:-smartcall_test}"
TEST_PORT="${SMARTCALL_TEST_PORT:-8079}"
TEST_DATA="$SC_HOME/test-data"
CONF="$SC_HOME/test.conf"
# limit_memory_hard = 0: the HTTP server pytest-odoo starts for the browser tests would otherwise
# cap the whole pytest process at Odoo's 2.5 GB of address space (a limit meant for one worker).
# The suite's threads and the hypothesis tests cross it, and then a test or a tour's page request
# dies of MemoryError at random (seen as a tour that is "never ready" and as segfaults).
sc_write_conf "$CONF" "$TEST_PORT" "$TEST_DATA" "limit_memory_hard = 0"
ADDONS_CSV="$(
    IFS=,
    echo "${SC_ADDONS[*]}"
)"

sc_say "Creating the test database $TEST_DB (all addons, no demo data, Italian loaded)"
dropdb --if-exists --force "$TEST_DB" || sc_die "Could not drop the old test database $TEST_DB (is a program still connected to it?): close it and run this command again."
rm -rf "$TEST_DATA/filestore/$TEST_DB"
LOG="$SC_HOME/test-install.log"
if ! sc_odoo -c "$CONF" -d "$TEST_DB" -i "$ADDONS_CSV" --without-demo=all --load-language=it_IT \
    --stop-after-init --log-level=warn >"$LOG" 2>&1; then
    tail -n 60 "$LOG" >&2
    sc_die "Installing the addons into the test database failed (full log: $LOG): fix the error above and run this command again."
fi
INSTALLED="$(sc_psql -d "$TEST_DB" -c "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name IN ('${ADDONS_CSV//,/\',\'}')")"
[ "$INSTALLED" = "${#SC_ADDONS[@]}" ] ||
    sc_die "Only $INSTALLED of the ${#SC_ADDONS[@]} addons got installed in the test database (log: $LOG): fix the error and run this command again."
# Odoo's own test runner builds the asset bundles before its browser tests; pytest-odoo does
# not, and a tour that triggers the first build on a busy machine can see the page unstyled.
if ! sc_odoo shell -c "$CONF" -d "$TEST_DB" --no-http --log-level=warn >>"$LOG" 2>&1 <<'EOF'
env["ir.qweb"]._pregenerate_assets_bundles()
env.cr.commit()
EOF
then
    tail -n 30 "$LOG" >&2
    sc_die "Building the web assets of the test database failed (log: $LOG): fix the error above and run this command again."
fi
sc_say "Test database ready in $((SECONDS - START)) s"

TEST_DIRS=()
for addon in "${SC_ADDONS[@]}"; do
    [ -d "$SC_REPO/$addon/tests" ] && TEST_DIRS+=("$addon/tests")
done
TEST_DIRS+=(tests)

cd "$SC_REPO"
set +e
"$SC_PY" -m pytest --odoo-database="$TEST_DB" --odoo-config="$CONF" --odoo-http \
    "${TEST_DIRS[@]}" ${PYTEST_ARGS[@]+"${PYTEST_ARGS[@]}"}
RC=$?
set -e

case $RC in
0) sc_say "All tests passed in $((SECONDS - START)) s" ;;
5) sc_die "pytest found no tests to run (exit code 5): a test suite that runs nothing is a failure." ;;
*) sc_die "The test suite failed (pytest exit code $RC): see the failures and skips reported above." ;;
esac
