# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The dialer's pacing (smartcall_voip/lib/pacing.py) against the day simulator of bench/
(issue 16).

The simulator draws customers (answer, ring, talk, wrap-up) from a seeded generator and asks the
same ``Pacer`` the dialer runs; these tests run shortened days so that the suite stays quick.
"""

import importlib.util
from pathlib import Path

from odoo.tests import BaseCase, tagged

SIMULATION = Path(__file__).resolve().parent.parent / "bench" / "dialer_simulation.py"


def _load_simulation():
    spec = importlib.util.spec_from_file_location("smartcall_dialer_simulation", SIMULATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


simulation = _load_simulation()
pacing = simulation.pacing
TWO_HOURS = 2 * 3600


@tagged("post_install", "-at_install", "smartcall_dialer")
class TestDialerPacing(BaseCase):
    def _floor(self, free, talking=0, ringing=()):
        operators = [(pacing.OPERATOR_FREE, 0.0)] * free
        operators += [(pacing.OPERATOR_TALKING, 30.0)] * talking
        return pacing.DialerSnapshot(operators=operators, ringing=list(ringing))

    def _measured_stats(self, answered=150, abandoned=0):
        stats = pacing.CallStatistics()
        for index in range(answered):
            stats.record_answered(8.0, abandoned=index < abandoned)
        for _index in range(350):
            stats.record_unanswered(25.0)
        return stats

    def test_unknown_mode_is_refused(self):
        with self.assertRaisesRegex(ValueError, "unknown pacing mode 'turbo'"):
            pacing.Pacer("turbo")

    def test_progressive_dials_one_line_per_free_operator(self):
        pacer = pacing.Pacer("progressive")
        stats = self._measured_stats()
        self.assertEqual(pacer.calls_to_place(self._floor(free=5, talking=3), stats), 5)
        self.assertEqual(pacer.calls_to_place(self._floor(free=5, ringing=[2.0, 4.0]), stats), 3)
        self.assertEqual(pacer.calls_to_place(self._floor(free=0, talking=8), stats), 0)

    def test_fixed_ratio_keeps_ratio_lines_per_free_operator(self):
        pacer = pacing.Pacer("fixed", fixed_ratio=2.5)
        stats = self._measured_stats()
        self.assertEqual(pacer.calls_to_place(self._floor(free=4, ringing=[1.0] * 3), stats), 7)

    def test_predictive_dials_ahead_of_free_operators(self):
        """With this list's measured answer rate (30%), more lines than free operators."""
        pacer = pacing.Pacer("predictive")
        placed = pacer.calls_to_place(self._floor(free=10, talking=10), self._measured_stats())
        self.assertGreater(placed, 10)

    def test_predictive_is_progressive_until_the_list_is_measured(self):
        pacer = pacing.Pacer("predictive")
        stats = pacing.CallStatistics()
        self.assertEqual(pacer.calls_to_place(self._floor(free=10, talking=10), stats), 10)

    def test_predictive_turns_progressive_at_the_cap(self):
        """3 silent calls in 100 answered: the day's cap is reached, no more overdialling."""
        pacer = pacing.Pacer("predictive")
        stats = self._measured_stats(answered=100, abandoned=3)
        self.assertEqual(pacer.calls_to_place(self._floor(free=10, talking=10), stats), 10)

    def test_abandoned_calls_lower_the_aggressiveness(self):
        pacer = pacing.Pacer("predictive")
        start = pacer.gain
        pacer.observe_answer(abandoned=True)
        self.assertLess(pacer.gain, start)
        lowered = pacer.gain
        pacer.observe_answer(abandoned=False)
        self.assertGreater(pacer.gain, lowered)

    def test_expected_excess_of_a_normal(self):
        self.assertAlmostEqual(pacing.expected_excess(0.0, 1.0), 0.3989, places=4)
        self.assertAlmostEqual(pacing.expected_excess(-3.0, 0.0), 0.0)
        self.assertAlmostEqual(pacing.expected_excess(2.0, 0.0), 2.0)

    def test_progressive_never_abandons(self):
        day = simulation.simulate_day(pacing.Pacer("progressive"), 10, seed=3, day_seconds=3600)
        self.assertGreater(day.answered, 100)
        self.assertEqual(day.abandoned, 0)

    def test_predictive_holds_the_cap_and_beats_progressive(self):
        for seed in (11, 12):
            with self.subTest(seed=seed):
                progressive = simulation.simulate_day(
                    pacing.Pacer("progressive"), 20, seed, day_seconds=TWO_HOURS
                )
                predictive = simulation.simulate_day(
                    pacing.Pacer("predictive"), 20, seed, day_seconds=TWO_HOURS
                )
                self.assertGreater(predictive.answered, 500)
                self.assertLessEqual(predictive.abandonment, 0.03)
                self.assertGreater(predictive.occupancy, progressive.occupancy + 0.15)

    def test_predictive_holds_the_cap_when_the_answer_rate_drops(self):
        model = simulation.CustomerModel(answer_rate=simulation.answer_rate_drop(at=TWO_HOURS / 2))
        day = simulation.simulate_day(
            pacing.Pacer("predictive"), 20, seed=5, model=model, day_seconds=TWO_HOURS
        )
        self.assertGreater(day.abandoned, 0)  # it did overdial...
        self.assertLessEqual(day.abandonment, 0.03)  # ...and kept under the cap
