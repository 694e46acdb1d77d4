# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pacing of the automatic dialer: how many customer calls to place now.

Pure Python, no Odoo: the dialer of an automatic campaign calls it once a second and on every
event, and the simulator of ``bench/dialer_simulation.py`` drives exactly the same code.

Seed 003 section 1 ("modalita predittiva"): the system proposes the calls. The Garante's rule on
silent calls (provvedimento 20 febbraio 2014 n. 83) caps them at 3 per 100 answered calls per
campaign per day: an answered customer with no operator free within 3 seconds is hung up, and
that is an abandoned ("silent") call.

Modes:

* ``progressive``: one line per free operator; never abandons, operators wait for every ring.
* ``fixed``: ``fixed_ratio`` lines per free operator (the classic power dialer).
* ``predictive``: as many lines as keep the expected abandonment under a local target. The
  expected number of answers in the next horizon (calls in flight plus new ones, each with its
  measured probability of being answered in time) is compared with the operators expected free by
  then (free ones, plus busy ones by the measured distribution of their remaining talk and
  wrap-up time). The local target is corrected by feedback from the abandonment actually
  measured today, and above a guard close to the cap the pacer falls back to progressive: the
  day's rate stays under the cap.
"""

import bisect
import math
from collections import deque
from dataclasses import dataclass, field

MODES = ("progressive", "predictive", "fixed")
OPERATOR_FREE = "free"
OPERATOR_TALKING = "talking"
OPERATOR_WRAPUP = "wrapup"


class DurationSample:
    """The last ``size`` durations of one kind (seconds), kept sorted for quantiles and
    survival probabilities; ``prior`` stands in while nothing was measured yet."""

    def __init__(self, prior, size=400, min_measured=100):
        self._recent = deque(maxlen=size)
        self._sorted = []
        self._prior = sorted(prior)
        # Early in the day the measured sample is censored (the short ones end first): keep
        # the prior until enough durations were measured.
        self._min_measured = min_measured

    def add(self, seconds):
        seconds = max(0.0, float(seconds))
        if len(self._recent) == self._recent.maxlen:
            oldest = self._recent[0]
            del self._sorted[bisect.bisect_left(self._sorted, oldest)]
        self._recent.append(seconds)
        bisect.insort(self._sorted, seconds)

    @property
    def values(self):
        return self._sorted if len(self._sorted) >= self._min_measured else self._prior

    def survival(self, seconds):
        """P(duration > seconds)."""
        values = self.values
        return (len(values) - bisect.bisect_right(values, seconds)) / len(values)

    def quantile(self, fraction):
        values = self.values
        return values[min(len(values) - 1, int(fraction * len(values)))]

    def mean(self):
        values = self.values
        return sum(values) / len(values)

    def prob_ends_within(self, elapsed, horizon):
        """P(duration <= elapsed + horizon | duration > elapsed)."""
        alive = self.survival(elapsed)
        if alive <= 0.0:
            return 1.0
        return 1.0 - self.survival(elapsed + horizon) / alive


@dataclass
class CallStatistics:
    """What the pacer measures of one campaign during the day.

    ``answer_results`` holds the last dial results (True: a person answered); the durations are
    samples of the ring time of answered calls, of the time an unanswered call takes to end
    (busy, no answer, invalid), of talk and of wrap-up.
    """

    prior_answer_rate: float = 0.25
    answer_results: deque = field(default_factory=lambda: deque(maxlen=300))
    ring_answered: DurationSample = field(
        default_factory=lambda: DurationSample([4, 6, 8, 10, 12, 15, 18, 22])
    )
    ring_unanswered: DurationSample = field(
        default_factory=lambda: DurationSample([3, 5, 25, 25, 25, 25, 25, 25])
    )
    talk: DurationSample = field(
        default_factory=lambda: DurationSample([20, 30, 45, 60, 90, 120, 180, 240])
    )
    wrapup: DurationSample = field(
        default_factory=lambda: DurationSample([5, 8, 10, 12, 15, 20, 25, 30])
    )
    answered_today: int = 0
    abandoned_today: int = 0

    def record_unanswered(self, ring_seconds):
        self.answer_results.append(False)
        self.ring_unanswered.add(ring_seconds)

    def record_answered(self, ring_seconds, abandoned=False):
        self.answer_results.append(True)
        self.ring_answered.add(ring_seconds)
        self.answered_today += 1
        self.abandoned_today += bool(abandoned)

    def record_talk(self, seconds):
        self.talk.add(seconds)

    def record_wrapup(self, seconds):
        self.wrapup.add(seconds)

    def answer_rate(self):
        """Share of recent dials that a person answered; the prior weighs as 100 dials, since
        answered calls end sooner than unanswered ones and the first results over-count them."""
        weight = 100
        answered = sum(self.answer_results)
        return (answered + self.prior_answer_rate * weight) / (len(self.answer_results) + weight)

    def abandonment_rate(self):
        """Silent calls per answered call today (the Garante's measure)."""
        return self.abandoned_today / self.answered_today if self.answered_today else 0.0


@dataclass
class DialerSnapshot:
    """The campaign's floor at this instant: each operator's state and the seconds spent in it,
    and the seconds each line in flight has been ringing."""

    operators: list  # [(state, elapsed_seconds)]
    ringing: list  # [elapsed_seconds]

    @property
    def free_operators(self):
        return sum(1 for state, _elapsed in self.operators if state == OPERATOR_FREE)


def _normal_pdf(x):
    return math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _normal_cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2)))


def expected_excess(mean, variance):
    """E[max(0, X)] for X ~ Normal(mean, variance): the expected answers left without an
    operator when X = answers - free operators."""
    if variance <= 1e-12:
        return max(0.0, mean)
    sigma = math.sqrt(variance)
    z = mean / sigma
    return sigma * _normal_pdf(z) + mean * _normal_cdf(z)


class Pacer:
    """Decides how many calls the dialer of one campaign places now (see the module doc).

    ``abandon_cap`` is the day's cap (0.03: 3 silent calls per 100 answered); the pacer aims
    its feedback at ``target_share`` of it and turns progressive at ``guard_share`` of it.
    """

    def __init__(
        self,
        mode="predictive",
        abandon_cap=0.03,
        fixed_ratio=1.0,
        answer_wait=3.0,
        max_lines_per_operator=6.0,
        target_share=0.85,
        guard_share=0.97,
        warmup_dials=100,
        initial_gain=0.3,
        learning_rate=0.1,
    ):
        if mode not in MODES:
            raise ValueError(f"unknown pacing mode {mode!r}")
        self.mode = mode
        self.abandon_cap = abandon_cap
        self.fixed_ratio = fixed_ratio
        self.answer_wait = answer_wait
        self.max_lines_per_operator = max_lines_per_operator
        self.target_share = target_share
        self.guard_share = guard_share
        self.warmup_dials = warmup_dials
        # Answers aimed at per operator expected free, learned from today's outcomes. The
        # estimate of operators free in time is optimistic (it ignores when in the window each
        # one frees), so the day starts cautious.
        self.gain = initial_gain
        self.min_gain, self.max_gain = 0.2, 1.5
        self.learning_rate = learning_rate

    # -- feedback --------------------------------------------------------------------------
    def observe_answer(self, abandoned):
        """Tell the pacer that an answered call was connected (False) or abandoned (True).

        Stochastic approximation: each abandoned call lowers the aggressiveness by about
        ``learning_rate``, each connected one raises it by ``learning_rate`` times the target
        rate; they balance when the abandonment equals the target."""
        target = self.abandon_cap * self.target_share
        error = target - (1.0 if abandoned else 0.0)
        self.gain = min(
            self.max_gain, max(self.min_gain, self.gain * math.exp(self.learning_rate * error))
        )

    # -- decision --------------------------------------------------------------------------
    def calls_to_place(self, snapshot, stats):
        """How many new calls to dial now (0 when none)."""
        free = snapshot.free_operators
        in_flight = len(snapshot.ringing)
        staffed = len(snapshot.operators)
        if not staffed:
            return 0
        progressive = max(0, free - in_flight)
        if self.mode == "progressive":
            return progressive
        if self.mode == "fixed":
            return max(0, math.floor(self.fixed_ratio * free) - in_flight)
        if len(stats.answer_results) < self.warmup_dials:
            return progressive  # no measure of this list's answers and ring times yet
        if stats.answered_today >= 10 and stats.abandonment_rate() >= self.abandon_cap:
            return progressive
        return self._predictive(snapshot, stats, progressive)

    def _predictive(self, snapshot, stats, progressive):
        """At each check point ``c`` of the next ring (quantiles of the answered ring time), the
        answers expected by ``c`` (calls in flight and new ones) must not exceed the operators
        expected free by ``c`` plus the wait an answered customer may have, times the
        aggressiveness: the largest number of new calls that satisfies every check point."""
        rate = stats.answer_rate()
        aggressiveness = self.aggressiveness(stats)
        wanted = None
        for quantile in (0.3, 0.6, 0.9):
            checkpoint = stats.ring_answered.quantile(quantile)
            window = checkpoint + self.answer_wait
            supply = float(snapshot.free_operators)
            for state, elapsed in snapshot.operators:
                if state == OPERATOR_WRAPUP:
                    supply += stats.wrapup.prob_ends_within(elapsed, window)
                elif state == OPERATOR_TALKING:
                    supply += self._talk_and_wrapup_within(stats, elapsed, window)
            demand = sum(
                self._answer_within(stats, rate, elapsed, checkpoint)
                for elapsed in snapshot.ringing
            )
            new_answer = rate * (1.0 - stats.ring_answered.survival(checkpoint))
            if new_answer > 0.0:
                allowed = math.floor((aggressiveness * supply - demand) / new_answer)
                wanted = allowed if wanted is None else min(wanted, allowed)
        if wanted is None:
            return progressive
        ceiling = int(self.max_lines_per_operator * max(1, snapshot.free_operators))
        return max(progressive, min(wanted, ceiling - len(snapshot.ringing)))

    def aggressiveness(self, stats):
        """How many answers to aim at per operator expected free: 1 balances them; the gain
        learned from today's abandonment moves it."""
        return self.gain

    @staticmethod
    def _answer_within(stats, rate, elapsed, horizon):
        """P(a call ringing for ``elapsed`` seconds is answered in the next ``horizon``)."""
        alive_answered = rate * stats.ring_answered.survival(elapsed)
        alive = alive_answered + (1.0 - rate) * stats.ring_unanswered.survival(elapsed)
        if alive <= 0.0:
            return 0.0
        answered_in_window = rate * (
            stats.ring_answered.survival(elapsed) - stats.ring_answered.survival(elapsed + horizon)
        )
        return answered_in_window / alive

    @staticmethod
    def _talk_and_wrapup_within(stats, elapsed, window):
        """P(an operator talking for ``elapsed`` seconds is free within ``window``): the talk
        ends within the window less a typical wrap-up."""
        return stats.talk.prob_ends_within(elapsed, max(0.0, window - stats.wrapup.mean()))
