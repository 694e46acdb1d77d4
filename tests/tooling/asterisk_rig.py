"""A real Asterisk and sipp user agents for the VoIP tests (tests/test_voip_asterisk.py).

``AsteriskRig`` writes its own PBX configuration into a temporary folder, starts Asterisk
with AMI and PJSIP on free loopback ports and the sipp UAs (scenarios in tests/asterisk/):

- operators' softphones ``201`` and ``202`` (answer after 300 ms), and ``203``, which rings
  and never answers (an operator away from the desk);
- a carrier, routed by the dialled number: ``0881486xxx`` busy (486), ``0881404xxx``
  invalid (404), ``0881408xxx`` rings and never answers, ``0881409xxx`` answers after
  ``SLOW_CARRIER_RING_MS`` (a ring long enough to tell ring time from talk time), anything
  else answers after ``CARRIER_RING_MS``; it takes DTMF as SIP INFO, so its trace shows the
  digits;
- ``inbound_call(extension)``: a customer calling an operator's extension through the trunk,
  who hangs up after talking, or gives up while it rings (``give_up_after_ms``).

Everything started is stopped by PID (Asterisk: ``core stop now``, then TERM, then KILL),
also when a test fails. Asterisk is found on PATH or in /opt/asterisk/sbin.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(os.path.dirname(HERE), "asterisk")
AMI_USER = "smartcall"
AMI_SECRET = "smartcall-secret"
CARRIER_RING_MS = 1500
OPERATOR_RING_MS = 300
CARRIERS = {  # endpoint -> (scenario, dialplan pattern routed to it or None: the default)
    "carrier": ("uas_answer.xml", None),
    "carrier-busy": ("uas_busy.xml", "_0881486XXX"),
    "carrier-404": ("uas_not_found.xml", "_0881404XXX"),
    "carrier-noanswer": ("uas_no_answer.xml", "_0881408XXX"),
    "carrier-slow": ("uas_answer.xml", "_0881409XXX"),
}
SLOW_CARRIER_RING_MS = 6000
RING_MS = {"carrier-slow": SLOW_CARRIER_RING_MS}  # the others: CARRIER_RING_MS
OPERATOR_PHONES = {  # extension -> its softphone's scenario
    "201": "uas_answer.xml",
    "202": "uas_answer.xml",
    "203": "uas_no_answer.xml",
}
OPERATOR_EXTENSIONS = tuple(OPERATOR_PHONES)


def find_asterisk():
    """The asterisk binary, or None."""
    found = shutil.which("asterisk")
    if found:
        return found
    candidate = "/opt/asterisk/sbin/asterisk"
    return candidate if os.access(candidate, os.X_OK) else None


def why_not_available():
    """None when the real-PBX tests can run, else one sentence saying why not."""
    if not find_asterisk():
        return "asterisk is not on PATH nor in /opt/asterisk/sbin"
    if not shutil.which("sipp"):
        return "sipp is not on PATH (Debian: apt-get install sip-tester)"
    return None


def _modules_dir(asterisk):
    prefix = os.path.dirname(os.path.dirname(os.path.realpath(asterisk)))
    for candidate in (
        os.path.join(prefix, "lib", "asterisk", "modules"),
        os.path.join(prefix, "lib64", "asterisk", "modules"),
        "/usr/lib/x86_64-linux-gnu/asterisk/modules",
        "/usr/lib/asterisk/modules",
    ):
        if os.path.isdir(candidate):
            return candidate, prefix
    raise RuntimeError(f"No Asterisk modules folder found next to {asterisk}")


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_tcp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _data_dir(prefix):
    """Asterisk's data folder (XML documentation, which Asterisk 22 needs to start)."""
    for candidate in (
        os.path.join(prefix, "var", "lib", "asterisk"),
        "/var/lib/asterisk",
        "/usr/share/asterisk",
    ):
        if os.path.isdir(os.path.join(candidate, "documentation")):
            return candidate
    raise RuntimeError(f"No Asterisk data folder with its documentation under {prefix}")


class AsteriskRig:
    def __init__(self):
        self.asterisk = find_asterisk()
        self.modules, self.prefix = _modules_dir(self.asterisk)
        self.datadir = _data_dir(self.prefix)
        self.dir = tempfile.mkdtemp(prefix="sc_voip_asterisk_")
        self.procs = {}  # name -> Popen
        self.ami_port = free_tcp_port()
        self.sip_port = free_udp_port()
        self.ports = {name: free_udp_port() for name in (*OPERATOR_EXTENSIONS, *CARRIERS, "caller")}
        self.rtp_start = 30000 + (os.getpid() % 100) * 100

    # ------------------------------------------------------------------ config
    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def _write(self, name, text):
        with open(self.path("etc", name), "w", encoding="utf-8") as handle:
            handle.write(text)

    def write_config(self):
        for folder in ("etc", "run", "log", "lib", "spool", "sipp", "sounds", "recordings"):
            os.makedirs(self.path(folder), exist_ok=True)
        self._write(
            "asterisk.conf",
            f"""[directories]
astetcdir => {self.path('etc')}
astmoddir => {self.modules}
astvarlibdir => {self.path('lib')}
astdbdir => {self.path('lib')}
astkeydir => {self.path('lib')}
astdatadir => {self.datadir}
astagidir => {self.path('lib')}
astspooldir => {self.path('spool')}
astrundir => {self.path('run')}
astlogdir => {self.path('log')}
astsbindir => {os.path.dirname(self.asterisk)}

[options]
verbose = 3
documentation_language = en_US
""",
        )
        self._write(
            "modules.conf",
            """[modules]
autoload = yes
noload = chan_iax2.so
noload = chan_unistim.so
noload = chan_mgcp.so
noload = chan_skinny.so
noload = chan_sip.so
noload = pbx_dundi.so
noload = res_phoneprov.so
noload = res_pjsip_phoneprov_provider.so
noload = res_http_websocket.so
noload = res_ari.so
noload = cdr_csv.so
""",
        )
        self._write(
            "logger.conf",
            "[general]\ndateformat = %F %T.%3q\n[logfiles]\n"
            "messages.log => notice,warning,error,verbose(3),dtmf\n",
        )
        self._write(
            "manager.conf",
            f"""[general]
enabled = yes
webenabled = no
port = {self.ami_port}
bindaddr = 127.0.0.1
; every event carries the time Asterisk raised it (bench/bench_voip_events.py measures from it)
timestampevents = yes

[{AMI_USER}]
secret = {AMI_SECRET}
deny = 0.0.0.0/0.0.0.0
permit = 127.0.0.1/255.255.255.255
read = all
write = all
""",
        )
        self._write(
            "rtp.conf", f"[general]\nrtpstart = {self.rtp_start}\nrtpend = {self.rtp_start + 99}\n"
        )
        self._write("http.conf", "[general]\nenabled = no\n")
        endpoints = [
            f"""[global]
type = global
user_agent = Smartcall-TestPBX

[transport-udp]
type = transport
protocol = udp
bind = 127.0.0.1:{self.sip_port}

[common](!)
type = endpoint
transport = transport-udp
disallow = all
allow = ulaw,alaw
direct_media = no
timers = no
rtp_symmetric = yes
"""
        ]

        def endpoint(name, context, dtmf_mode, port, user=""):
            contact = f"sip:{user + '@' if user else ''}127.0.0.1:{port}"
            return f"""
[{name}](common)
context = {context}
dtmf_mode = {dtmf_mode}
aors = {name}

[{name}]
type = aor
contact = {contact}

[{name}]
type = identify
endpoint = {name}
match = 127.0.0.1:{port}
"""

        for extension in OPERATOR_EXTENSIONS:
            endpoints.append(
                endpoint(
                    extension,
                    "smartcall-operator-phones",
                    "rfc4733",
                    self.ports[extension],
                    extension,
                )
            )
        for carrier in CARRIERS:
            endpoints.append(endpoint(carrier, "smartcall-in", "info", self.ports[carrier]))
        endpoints.append(endpoint("caller", "smartcall-in", "rfc4733", self.ports["caller"]))
        self._write("pjsip.conf", "".join(endpoints))
        self._write("confbridge.conf", CONFBRIDGE_CONF)
        routes = "".join(
            f"exten => {pattern},1,Dial(PJSIP/${{EXTEN}}@{carrier},60)\n same => n,Hangup()\n"
            for carrier, (_scenario, pattern) in CARRIERS.items()
            if pattern
        )
        self._write("extensions.conf", EXTENSIONS_CONF.replace("@ROUTES@", routes))

    # ------------------------------------------------------------------ processes
    def _spawn(self, name, args, log):
        handle = open(self.path("log", log), "w")  # noqa: SIM115 (the child keeps it)
        proc = subprocess.Popen(
            args,
            cwd=self.path("sipp"),
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()
        self.procs[name] = proc
        return proc

    def asterisk_cmd(self, command, timeout=10):
        return subprocess.run(
            [self.asterisk, "-C", self.path("etc", "asterisk.conf"), "-rx", command],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start_asterisk(self, timeout=60):
        proc = self._spawn(
            "asterisk",
            [self.asterisk, "-f", "-n", "-C", self.path("etc", "asterisk.conf")],
            "asterisk.stdout",
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"Asterisk exited:\n{self.tail('asterisk.stdout')}")
            if self.asterisk_cmd("core waitfullybooted", timeout=5).returncode == 0:
                break
            time.sleep(0.3)
        else:
            raise RuntimeError(f"Asterisk did not boot:\n{self.tail('asterisk.stdout')}")
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.ami_port)) == 0:
                    return
            time.sleep(0.2)
        raise RuntimeError("Asterisk's AMI is not listening")

    def stop_asterisk(self):
        proc = self.procs.pop("asterisk", None)
        if proc is None or proc.poll() is not None:
            return
        self.asterisk_cmd("core stop now", timeout=10)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._kill(proc)

    def _sipp(self, name, scenario, port, ring_ms, extra=()):
        rtp = self.rtp_start + 100 + 10 * len([n for n in self.procs if n.startswith("sipp")])
        return self._spawn(
            f"sipp-{name}",
            [
                "sipp",
                "-sf",
                os.path.join(SCENARIOS, scenario),
                "-i",
                "127.0.0.1",
                "-p",
                str(port),
                "-mp",
                str(rtp),
                "-d",
                str(ring_ms),
                "-aa",
                "-nostdin",
                "-trace_msg",
                "-message_file",
                self.path("sipp", f"{name}-messages.log"),
                "-trace_err",
                "-error_file",
                self.path("sipp", f"{name}-errors.log"),
                *extra,
            ],
            f"sipp-{name}.stdout",
        )

    def start(self):
        self.write_config()
        try:
            self.start_asterisk()
            for extension, scenario in OPERATOR_PHONES.items():
                self._sipp(extension, scenario, self.ports[extension], OPERATOR_RING_MS)
            for carrier, (scenario, _suffix) in CARRIERS.items():
                ring_ms = RING_MS.get(carrier, CARRIER_RING_MS)
                self._sipp(carrier, scenario, self.ports[carrier], ring_ms)
            time.sleep(0.5)
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{self.tail(name + '.stdout')}")
        except BaseException:
            self.stop()
            raise
        return self

    def inbound_call(self, extension, talk_ms=3000, give_up_after_ms=None):
        """A customer dials `extension` through the trunk (one call, then sipp exits): hangs
        up `talk_ms` after the answer or, with `give_up_after_ms`, hangs up (CANCEL) that long
        after the phone started ringing."""
        self.procs.pop("sipp-caller", None)
        if give_up_after_ms is None:
            scenario, pause_ms = "uac_inbound.xml", talk_ms
        else:
            scenario, pause_ms = "uac_inbound_cancel.xml", give_up_after_ms
        return self._sipp(
            "caller",
            scenario,
            self.ports["caller"],
            pause_ms,
            extra=("-s", extension, "-m", "1", f"127.0.0.1:{self.sip_port}"),
        )

    def sip_trace(self, name):
        try:
            with open(
                self.path("sipp", f"{name}-messages.log"), encoding="utf-8", errors="replace"
            ) as handle:
                return handle.read()
        except FileNotFoundError:
            return ""

    def invites_to(self, name):
        return self.sip_trace(name).count("INVITE sip:")

    def tail(self, log, chars=3000):
        try:
            with open(self.path("log", log), encoding="utf-8", errors="replace") as handle:
                return handle.read()[-chars:]
        except FileNotFoundError:
            return ""

    @staticmethod
    def _kill(proc):
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if proc.poll() is not None:
                return
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                continue

    def stop(self):
        self.stop_asterisk()
        for name in list(self.procs):
            self._kill(self.procs.pop(name))

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


CONFBRIDGE_CONF = """[general]

[smartcall_operator]
type = user
quiet = yes
announce_only_user = no
dtmf_passthrough = yes

[smartcall_customer]
type = user
quiet = yes
announce_only_user = no
dtmf_passthrough = yes

[default_bridge]
type = bridge
"""

EXTENSIONS_CONF = """[general]
static = yes
writeprotect = yes

; The operator's line: Smartcall originates the softphone into Exten = the line's room.
[smartcall-operator]
exten => _X.,1,Answer()
 same => n,Playback(smartcall-welcome)
 same => n,ConfBridge(${EXTEN},default_bridge,smartcall_operator)
 same => n,Hangup()

; Customers: Smartcall originates Local/<number>@smartcall-out/n into the room.
[smartcall-out]
@ROUTES@exten => _X.,1,Dial(PJSIP/${EXTEN}@carrier,60)
 same => n,Hangup()

; What the operators' softphones dial themselves: nothing here.
[smartcall-operator-phones]

; Calls from the trunk to an operator's extension.
[smartcall-in]
exten => _2XX,1,Dial(PJSIP/${EXTEN},30)
 same => n,Hangup()

; bench/bench_voip_events.py: the customer is a Local channel that rings 0.5 s, answers and
; hangs up 2 s later.
[smartcall-bench-out]
exten => _X.,1,Dial(Local/${EXTEN}@smartcall-bench-answer/n,30)
 same => n,Hangup()

[smartcall-bench-answer]
exten => _X.,1,Ringing()
 same => n,Wait(0.5)
 same => n,Answer()
 same => n,Wait(2)
 same => n,Hangup()
"""
