# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A seeded, pure-Python simulation of a dialer's day (not a test; see bench_dialer_pacing.py).

Customers answer with a probability (which may change during the day), after a ring time; the
others end busy, invalid or unanswered. Operators talk, then wrap up, then are free. An answered
customer with no free operator waits at most ``answer_wait`` seconds (3, the Garante's rule) and
is then hung up: an abandoned ("silent") call.

The dialer's decisions come from ``smartcall_voip/lib/pacing.py``, the code the real dialer
runs: the simulation builds the same ``DialerSnapshot`` and ``CallStatistics`` and asks the
same ``Pacer``, once a second and whenever an operator becomes free.

``simulate_outcome_oracle`` knows each call's outcome in advance and dials only the numbers that
answer, one per free operator; ``simulate_clairvoyant`` also knows each operator's talk and wrap-up
and connects an answered customer exactly when an operator becomes free (the upper bound).
"""

import heapq
import importlib.util
import math
import os
import random
from collections import deque
from dataclasses import dataclass

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_pacing():
    """``smartcall_voip/lib/pacing.py`` loaded by path: it needs no Odoo."""
    path = os.path.join(REPO, "smartcall_voip", "lib", "pacing.py")
    spec = importlib.util.spec_from_file_location("smartcall_voip_pacing", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pacing = load_pacing()

DAY_SECONDS = 8 * 3600


@dataclass
class CustomerModel:
    """How customers and operators behave (seconds). ``answer_rate`` may be a function of the
    time of day."""

    answer_rate: object = 0.30
    ring_answered_mean: float = 9.0
    ring_answered_sigma: float = 0.5
    no_answer_timeout: float = 25.0
    quick_failure_share: float = 0.15  # busy, congestion, invalid number: ends in 1 to 5 s
    short_talk_share: float = 0.55
    short_talk_mean: float = 35.0
    long_talk_mean: float = 150.0
    wrapup_mean: float = 12.0

    def rate_at(self, now):
        return self.answer_rate(now) if callable(self.answer_rate) else self.answer_rate

    @staticmethod
    def _lognormal(rng, mean, sigma):
        return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)

    def draw_call(self, rng, now):
        """(answered, seconds until it is answered or ends)."""
        if rng.random() < self.rate_at(now):
            ring = self._lognormal(rng, self.ring_answered_mean, self.ring_answered_sigma)
            return True, min(max(ring, 2.0), self.no_answer_timeout - 1)
        if rng.random() < self.quick_failure_share:
            return False, rng.uniform(1.0, 5.0)
        return False, self.no_answer_timeout

    def draw_talk(self, rng):
        if rng.random() < self.short_talk_share:
            return self._lognormal(rng, self.short_talk_mean, 0.5)
        return self._lognormal(rng, self.long_talk_mean, 0.6)

    def draw_wrapup(self, rng):
        return self._lognormal(rng, self.wrapup_mean, 0.4)


@dataclass
class DayResult:
    operators: int
    dialed: int
    answered: int
    abandoned: int
    busy_seconds: float
    staffed_seconds: float

    @property
    def occupancy(self):
        """Talk plus wrap-up time over staffed time."""
        return self.busy_seconds / self.staffed_seconds

    @property
    def abandonment(self):
        return self.abandoned / self.answered if self.answered else 0.0


class _Day:
    """One simulated day: an event queue, the operators, the lines and the counters."""

    def __init__(self, pacer, operators, seed, model, day_seconds):
        self.pacer, self.operators, self.day_seconds = pacer, operators, day_seconds
        self.model = model or CustomerModel()
        self.rng = random.Random(seed)
        self.stats = pacing.CallStatistics()
        self.events = []  # (time, sequence, kind, payload)
        self.sequence = 0
        self.state = [pacing.OPERATOR_FREE] * operators
        self.since = [0.0] * operators
        self.free = set(range(operators))
        self.ringing = {}  # call id -> dial time
        self.waiting = deque()  # (call id, ring seconds) of answered calls with no operator
        self.busy_seconds = 0.0
        self.dialed = self.answered = self.abandoned = 0

    def push(self, at, kind, payload=None):
        self.sequence += 1
        heapq.heappush(self.events, (at, self.sequence, kind, payload))

    def busy(self, start, seconds):
        self.busy_seconds += max(0.0, min(start + seconds, self.day_seconds) - start)

    def connect(self, operator, now, ring):
        self.free.discard(operator)
        self.state[operator], self.since[operator] = pacing.OPERATOR_TALKING, now
        talk = self.model.draw_talk(self.rng)
        self.busy(now, talk)
        self.push(now + talk, "talk_end", (operator, talk))
        self.answered += 1
        self.stats.record_answered(ring)
        self.pacer.observe_answer(False)

    def decide(self, now):
        snapshot = pacing.DialerSnapshot(
            operators=[(self.state[i], now - self.since[i]) for i in range(self.operators)],
            ringing=[now - dialed_at for dialed_at in self.ringing.values()],
        )
        for _i in range(self.pacer.calls_to_place(snapshot, self.stats)):
            self.dialed += 1
            is_answered, seconds = self.model.draw_call(self.rng, now)
            self.ringing[self.dialed] = now
            kind = "answer" if is_answered else "no_answer"
            self.push(now + seconds, kind, (self.dialed, seconds))

    # -- one handler per kind of event ---------------------------------------------------------
    def on_tick(self, now, _payload):
        self.push(now + 1.0, "tick")
        self.decide(now)

    def on_answer(self, now, payload):
        call, ring = payload
        del self.ringing[call]
        if self.free:
            self.connect(min(self.free), now, ring)
        else:
            self.waiting.append((call, ring))
            self.push(now + self.pacer.answer_wait, "give_up", call)

    def on_no_answer(self, _now, payload):
        call, seconds = payload
        del self.ringing[call]
        self.stats.record_unanswered(seconds)

    def on_give_up(self, _now, payload):
        for index, (call, ring) in enumerate(self.waiting):
            if call == payload:  # still waiting: hung up, a silent call
                del self.waiting[index]
                self.answered += 1
                self.abandoned += 1
                self.stats.record_answered(ring, abandoned=True)
                self.pacer.observe_answer(True)
                return

    def on_talk_end(self, now, payload):
        operator, talk = payload
        self.stats.record_talk(talk)
        wrapup = self.model.draw_wrapup(self.rng)
        self.busy(min(now, self.day_seconds), wrapup)
        self.state[operator], self.since[operator] = pacing.OPERATOR_WRAPUP, now
        self.push(now + wrapup, "wrapup_end", (operator, wrapup))

    def on_wrapup_end(self, now, payload):
        operator, wrapup = payload
        self.stats.record_wrapup(wrapup)
        self.state[operator], self.since[operator] = pacing.OPERATOR_FREE, now
        self.free.add(operator)
        if now > self.day_seconds:
            return
        if self.waiting:
            _call, ring = self.waiting.popleft()
            self.connect(operator, now, ring)
        self.decide(now)

    def run(self):
        self.push(0.0, "tick")
        while self.events:
            now, _sequence, kind, payload = heapq.heappop(self.events)
            if now > self.day_seconds and kind in ("tick", "answer", "no_answer"):
                continue  # the day is over: nothing new is dialled or connected
            getattr(self, f"on_{kind}")(now, payload)
        return DayResult(
            self.operators,
            self.dialed,
            self.answered,
            self.abandoned,
            self.busy_seconds,
            float(self.operators * self.day_seconds),
        )


def simulate_day(pacer, operators, seed, model=None, day_seconds=DAY_SECONDS):
    """One day of ``operators`` operators on an endless list, paced by ``pacer``: it decides
    once a second and whenever an operator becomes free."""
    return _Day(pacer, operators, seed, model, day_seconds).run()


def simulate_outcome_oracle(operators, seed, model=None, day_seconds=DAY_SECONDS):
    """The issue's oracle, which knows each call's outcome in advance: it dials only the numbers
    that will answer, one for each free operator, so nobody waits through an unanswered ring and
    nobody is abandoned; the operator still waits for the ring of the customer who answers."""
    return _simulate_knowing(operators, seed, model, day_seconds, knows_durations=False)


def simulate_clairvoyant(operators, seed, model=None, day_seconds=DAY_SECONDS):
    """The bound: also knows each operator's talk and wrap-up, so it connects an answered
    customer the moment an operator is free (only the day's first ring is waited for)."""
    return _simulate_knowing(operators, seed, model, day_seconds, knows_durations=True)


def _simulate_knowing(operators, seed, model, day_seconds, knows_durations):
    model = model or CustomerModel()
    rng = random.Random(seed)
    busy_seconds = 0.0
    answered = dialed = 0
    for _operator in range(operators):
        now = 0.0
        first = True
        while now < day_seconds:
            is_answered, ring = model.draw_call(rng, now)
            dialed += 1
            if not is_answered:
                continue  # the oracle would not have dialled it: costs nothing
            if first or not knows_durations:
                now += ring
            first = False
            if now >= day_seconds:
                break
            answered += 1
            talk, wrapup = model.draw_talk(rng), model.draw_wrapup(rng)
            busy_seconds += min(now + talk + wrapup, day_seconds) - now
            now += talk + wrapup
    return DayResult(operators, dialed, answered, 0, busy_seconds, float(operators * day_seconds))


def answer_rate_drop(before=0.30, after=0.10, at=DAY_SECONDS / 2):
    """An answer rate that falls from ``before`` to ``after`` at ``at`` seconds into the day."""
    return lambda now: before if now < at else after
