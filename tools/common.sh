# shellcheck shell=bash
# Shared by tools/install-and-run.sh and tools/run-tests.sh (sourced, not run).
#
# It finds or installs what Smartcall needs: Python packages, Odoo 18, Chromium (browser tests) and a
# running PostgreSQL with a role for the current user. Every step first checks and only acts when
# something is missing, so running it again changes nothing.
#
# Environment knobs (all optional):
#   ODOO_SRC       an Odoo 18 source tree to use (same as --odoo-src DIR)
#   PYTHON         the Python interpreter to use (default: an existing .smartcall/venv, else python3)
#   SMARTCALL_HOME where generated configs, the venv and logs go (default: <repo>/.smartcall)
#   PGHOST, PGPORT, PGUSER  where PostgreSQL is (libpq variables, also used by Odoo)

SC_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SC_ADDONS=(smartcall_campaign smartcall_outcomes smartcall_agenda smartcall_voip smartcall_inbound)
SC_HOME="${SMARTCALL_HOME:-$SC_REPO/.smartcall}"
SC_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/smartcall"
SC_ODOO_BRANCH=18.0
SC_ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo}"
SC_PIP_EXTRAS=(phonenumbers pytest-odoo websocket-client hypothesis)
SC_PY=""

sc_say() { printf '==> %s\n' "$*"; }
# One clear sentence, then stop.
sc_die() {
    printf '\nERROR: %s\n' "$*" >&2
    exit 1
}

sc_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        return 1
    fi
}

sc_as_postgres() {
    if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1; then
        (cd /tmp && runuser -u postgres -- "$@")
    elif command -v sudo >/dev/null 2>&1; then
        (cd /tmp && sudo -n -u postgres "$@")
    else
        return 1
    fi
}

# Install the Debian packages among "$@" that are not installed yet.
sc_apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 ||
        sc_die "These system packages are missing and apt-get is not available: ${missing[*]}; install them and run this command again."
    sc_say "Installing system packages: ${missing[*]}"
    if [ -z "${SC_APT_UPDATED:-}" ]; then
        sc_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || true
        SC_APT_UPDATED=1
    fi
    sc_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
        sc_die "Could not install ${missing[*]} with apt-get: run 'sudo apt-get install ${missing[*]}' yourself and run this command again."
}

# --- Python and Odoo ---------------------------------------------------------------------------

sc_py_in_venv() { "$SC_PY" -c 'import sys; sys.exit(0 if sys.prefix != sys.base_prefix else 1)' 2>/dev/null; }

# pip install "$@" into $SC_PY, with the flags an externally managed (Debian) Python needs.
sc_pip() {
    local flags=(--disable-pip-version-check -q)
    if ! sc_py_in_venv && "$SC_PY" -c 'import sys, sysconfig, os
sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)' 2>/dev/null; then
        flags+=(--user --break-system-packages)
    fi
    "$SC_PY" -m pip install "${flags[@]}" "$@"
}

sc_odoo_importable() {
    "$SC_PY" -c 'import sys, odoo.release
sys.exit(0 if odoo.release.version_info[:2] == (18, 0) else 3)' >/dev/null 2>&1
}

sc_pick_python() {
    if [ -n "${PYTHON:-}" ]; then
        SC_PY="$PYTHON"
    elif [ -x "$SC_HOME/venv/bin/python" ]; then
        SC_PY="$SC_HOME/venv/bin/python"
    else
        command -v python3 >/dev/null 2>&1 || sc_apt_install python3 python3-venv python3-pip
        SC_PY="$(command -v python3)"
    fi
    "$SC_PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
        sc_die "Odoo 18 needs Python 3.10 or newer and $SC_PY is older: install python3 (3.11 on Debian 12) or set PYTHON=/path/to/python3.11."
}

# Create (once) the private virtualenv used when we install Odoo ourselves, and switch to it.
sc_use_private_venv() {
    if [ ! -x "$SC_HOME/venv/bin/python" ]; then
        "$SC_PY" -c 'import ensurepip, venv' >/dev/null 2>&1 || sc_apt_install python3-venv
        sc_say "Creating the Python virtualenv $SC_HOME/venv"
        mkdir -p "$SC_HOME"
        "$SC_PY" -m venv "$SC_HOME/venv" || sc_die "Could not create a Python virtualenv in $SC_HOME/venv: install python3-venv and run this command again."
        "$SC_HOME/venv/bin/python" -m pip install --disable-pip-version-check -q -U pip setuptools wheel
    fi
    SC_PY="$SC_HOME/venv/bin/python"
}

# pip-install Odoo's requirements from source tree $1, with the mends Python 3.11 on Debian 12 needs:
# cbor2 5.4.2 has no wheel and does not build (5.6.2 does), python-ldap is not needed (and needs
# libldap headers), gevent wants zope.interface.
sc_install_odoo_requirements() {
    local src="$1" req
    sc_apt_install build-essential python3-dev libpq-dev libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev \
        libffi-dev libssl-dev
    mkdir -p "$SC_HOME"
    req="$SC_HOME/odoo-requirements.txt"
    sed -e 's/^cbor2==5\.4\.2/cbor2==5.6.2/' -e '/^python-ldap/d' "$src/requirements.txt" >"$req"
    echo "zope.interface" >>"$req"
    sc_say "Installing Odoo's Python requirements (a few minutes the first time)"
    sc_pip -r "$req" || sc_die "Installing Odoo's Python requirements failed (see pip's messages above): fix the reported problem, or pass a working Odoo 18 with --odoo-src DIR, then run this command again."
}

sc_check_odoo_tree() {
    [ -f "$1/odoo/release.py" ] && [ -f "$1/requirements.txt" ] &&
        grep -q "^version_info = (18, 0," "$1/odoo/release.py"
}

# Make Odoo 18 importable by $SC_PY (see the README: an importable Odoo, else --odoo-src, else a clone).
sc_ensure_odoo() {
    local src="${ODOO_SRC:-}"
    # A source tree given once (--odoo-src) is remembered for the next runs.
    if [ -z "$src" ] && [ -f "$SC_HOME/odoo-src" ]; then
        src="$(cat "$SC_HOME/odoo-src")"
    fi
    if [ -n "$src" ]; then
        [ -d "$src" ] || sc_die "The Odoo source directory '$src' does not exist: pass an Odoo 18 source tree with --odoo-src DIR."
        src="$(cd "$src" && pwd)"
        sc_check_odoo_tree "$src" || sc_die "$src is not an Odoo 18.0 source tree (no odoo/release.py of version 18.0): pass the top directory of an Odoo 18 checkout with --odoo-src DIR."
        export PYTHONPATH="$src${PYTHONPATH:+:$PYTHONPATH}"
        mkdir -p "$SC_HOME"
        [ "$(cat "$SC_HOME/odoo-src" 2>/dev/null)" = "$src" ] || printf '%s\n' "$src" >"$SC_HOME/odoo-src"
        if ! sc_odoo_importable; then
            sc_py_in_venv || [ -n "${PYTHON:-}" ] || sc_use_private_venv
            sc_install_odoo_requirements "$src"
        fi
    elif ! sc_odoo_importable; then
        src="$SC_CACHE/odoo-$SC_ODOO_BRANCH"
        if ! sc_check_odoo_tree "$src"; then
            sc_apt_install git ca-certificates
            sc_say "Downloading Odoo $SC_ODOO_BRANCH from $SC_ODOO_GIT_URL into $src"
            rm -rf "$src" && mkdir -p "$SC_CACHE"
            git clone --depth 1 --branch "$SC_ODOO_BRANCH" "$SC_ODOO_GIT_URL" "$src" ||
                sc_die "Could not download Odoo $SC_ODOO_BRANCH from $SC_ODOO_GIT_URL: check the network, or pass an Odoo 18 source tree with --odoo-src DIR."
        fi
        [ -n "${PYTHON:-}" ] || sc_use_private_venv
        if ! sc_odoo_importable; then
            sc_install_odoo_requirements "$src"
            sc_pip --no-deps -e "$src" || sc_die "Installing Odoo from $src failed (see pip's messages above): fix the reported problem and run this command again."
        fi
    fi
    sc_odoo_importable || sc_die "Odoo 18 is still not importable by $SC_PY (see the messages above): install Odoo 18 (or pass its source tree with --odoo-src DIR) and run this command again."
}

# Python packages Smartcall and its tests use, on top of Odoo's own.
sc_ensure_python_extras() {
    local missing=()
    "$SC_PY" -c 'import phonenumbers' 2>/dev/null || missing+=(phonenumbers)
    "$SC_PY" -c 'import pytest_odoo' 2>/dev/null || missing+=(pytest-odoo)
    "$SC_PY" -c 'import websocket' 2>/dev/null || missing+=(websocket-client)
    "$SC_PY" -c 'import hypothesis' 2>/dev/null || missing+=(hypothesis)
    [ ${#missing[@]} -eq 0 ] && return 0
    sc_say "Installing Python packages: ${missing[*]}"
    sc_pip "${missing[@]}" || sc_die "Could not install the Python packages ${missing[*]}: install them with '$SC_PY -m pip install ${missing[*]}' and run this command again."
}

# Odoo's websocket worker (gevent, started with --workers) loads gevent's plug-ins through
# pkg_resources. The setuptools 65 of Python 3.11 does not find the current zope wheels
# (DistributionNotFound: zope.interface) and the worker respawns for ever; setuptools 81 and
# later ship no pkg_resources at all. Install one in between when gevent cannot start.
sc_gevent_starts() {
    "$SC_PY" -c 'from gevent import monkey
monkey.patch_all()' >/dev/null 2>&1
}

sc_ensure_gevent_worker() {
    sc_gevent_starts && return 0
    sc_say "Installing a setuptools (70 to 79) whose pkg_resources lets gevent start"
    sc_pip "setuptools>=70,<80" || sc_die "Could not install setuptools>=70,<80: install it with '$SC_PY -m pip install \"setuptools>=70,<80\"' and run this command again."
    sc_gevent_starts || sc_die "gevent still cannot start in $SC_PY (run '$SC_PY -c \"from gevent import monkey; monkey.patch_all()\"' to see why): without it Odoo's websocket worker keeps dying; fix it and run this command again."
}

# Odoo's browser tests (tours) need Chrome or Chromium.
sc_ensure_chromium() {
    local exe
    for exe in google-chrome chromium chromium-browser; do
        command -v "$exe" >/dev/null 2>&1 && return 0
    done
    sc_apt_install chromium
}

# --- PostgreSQL --------------------------------------------------------------------------------

sc_pg_target() { printf '%s:%s' "${PGHOST:-localhost}" "${PGPORT:-5432}"; }

sc_pg_is_local() {
    case "${PGHOST:-}" in "" | localhost | 127.0.0.1 | ::1 | /*) return 0 ;; *) return 1 ;; esac
}

sc_pg_ready() { psql -X -q -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; }

sc_psql() { psql -X -q -v ON_ERROR_STOP=1 -tA "$@"; }

sc_ensure_postgres() {
    local me ver name port status owner rest
    me="${PGUSER:-$(id -un)}"
    if ! command -v psql >/dev/null 2>&1; then
        if sc_pg_is_local; then sc_apt_install postgresql postgresql-client; else sc_apt_install postgresql-client; fi
    fi
    sc_pg_ready && return 0
    if sc_pg_is_local && command -v pg_lsclusters >/dev/null 2>&1; then
        # Start the local clusters that are down (never touch one that is running).
        while read -r ver name port status owner rest; do
            [ "$status" = "down" ] || continue
            sc_say "Starting PostgreSQL cluster $ver/$name"
            sc_as_root pg_ctlcluster "$ver" "$name" start || true
        done < <(pg_lsclusters -h 2>/dev/null)
        sc_pg_ready && return 0
        # A fresh PostgreSQL knows only the role "postgres": create a superuser role for us.
        if sc_as_postgres psql -X -q -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
            if [ "$(sc_as_postgres psql -X -q -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$me'")" != 1 ]; then
                sc_say "Creating the PostgreSQL superuser role $me"
                sc_as_postgres createuser --superuser "$me" || true
            fi
        fi
    fi
    sc_pg_ready || sc_die "PostgreSQL is not reachable at $(sc_pg_target) as user $me: start it (e.g. 'sudo pg_ctlcluster 15 main start') or set PGHOST/PGPORT to a running server, then run this command again."
}

sc_db_exists() { [ "$(sc_psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }

# --- Odoo helpers ------------------------------------------------------------------------------

sc_odoo() { "$SC_PY" -m odoo "$@"; }

# The addons path of the Odoo that $SC_PY imports, plus this repository.
sc_addons_path() {
    "$SC_PY" - "$SC_REPO" <<'EOF'
import os
import sys

import odoo

base = os.path.dirname(os.path.abspath(odoo.__file__))
paths = [os.path.join(base, "addons")]
sibling = os.path.join(os.path.dirname(base), "addons")
if os.path.isfile(os.path.join(sibling, "web", "__manifest__.py")):
    paths.append(sibling)
paths.append(sys.argv[1])
print(",".join(paths))
EOF
}

# Write Odoo config file $1 with http port $2, data dir $3 (Odoo's default when empty) and the
# extra option lines $4; rewrite it only when it changed.
sc_write_conf() {
    local conf="$1" port="$2" data_dir="${3:-}" extra="${4:-}" content
    content="[options]
addons_path = $(sc_addons_path)
http_port = $port
${data_dir:+data_dir = $data_dir
}${extra:+$extra
}"
    mkdir -p "$(dirname "$conf")"
    if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "${content%$'\n'}" ]; then
        printf '%s' "$content" >"$conf"
    fi
}

# The whole install step: everything but databases.
sc_install_all() {
    sc_pick_python
    sc_ensure_odoo
    sc_ensure_python_extras
    sc_ensure_gevent_worker
    sc_ensure_chromium
    sc_ensure_postgres
}
