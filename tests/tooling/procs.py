"""Ports, process groups and the clean-up of runs that died before their teardown."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time

RUNS_ROOT = os.path.join("/tmp", "sc_crash_runs")


def free_port(candidates, host="127.0.0.1"):
    """The first port of `candidates` nobody listens on (our ports: see CONTRACT.md)."""
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError(
        f"No free port in {candidates.start}-{candidates.stop - 1}: stop what uses them."
    )


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def kill_group(pid, sig=signal.SIGKILL):
    """Signal the process group `pid` leads (our servers run in their own session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
        os.killpg(pid, sig)


def new_run_dir():
    """A directory for this test run, named after our pid; runs whose pytest died (SIGKILL,
    OOM) without teardown are cleaned first: their Odoo servers killed, their cluster
    stopped, their files removed."""
    os.makedirs(RUNS_ROOT, exist_ok=True)
    for name in os.listdir(RUNS_ROOT):
        path = os.path.join(RUNS_ROOT, name)
        try:
            owner = int(name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if owner != os.getpid() and not pid_alive(owner):
            cleanup_dead_run(path)
    path = os.path.join(RUNS_ROOT, f"run-{os.getpid()}")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(os.path.join(path, "pids"))
    return path


def cleanup_dead_run(path):
    pids_dir = os.path.join(path, "pids")
    if os.path.isdir(pids_dir):
        for name in os.listdir(pids_dir):
            if name.isdigit():
                kill_group(int(name))
    pgdata = os.path.join(path, "pg", "pgdata")
    pid_file = os.path.join(pgdata, "postmaster.pid")
    if os.path.exists(pid_file):
        with open(pid_file, encoding="utf-8") as handle:
            first = handle.readline().strip()
        if first.isdigit():
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(int(first), signal.SIGQUIT)  # immediate shutdown
            for _ in range(50):
                if not pid_alive(int(first)):
                    break
                time.sleep(0.1)
    shutil.rmtree(path, ignore_errors=True)


def register_pid(run_dir, pid):
    open(os.path.join(run_dir, "pids", str(pid)), "w").close()


def unregister_pid(run_dir, pid):
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(run_dir, "pids", str(pid)))


def run(args, timeout, **kwargs):
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )
