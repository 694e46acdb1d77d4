# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""Dialer pacing over a simulated day (issue 16): occupancy and abandonment per pacing mode.

    python3 bench/bench_dialer_pacing.py [--operators 20 50] [--seeds 1 2 3] [--hours 8]

For each team size and seed it simulates (bench/dialer_simulation.py, driving the pacing code of
smartcall_voip/lib/pacing.py that the dialer runs):

* progressive: one line per free operator;
* predictive: the adaptive pacer, under the 3% cap on silent calls;
* fixed ratio: the largest dial ratio of the grid whose worst seed stays at or under the cap;
* oracle: knows each call's outcome in advance (dials only the numbers that answer, one per
  free operator);
* clairvoyant: also knows each operator's talk and wrap-up (the upper bound).

Then the day where the answer rate falls from 30% to 10% at noon. It prints figures, and the
issue's targets as met or not; it asserts nothing.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dialer_simulation as simulation  # noqa: E402

pacing = simulation.pacing
CAP = 0.03
RATIOS = [2.0 + 0.25 * step for step in range(21)]  # 2 to 7; tuning stops over the cap


def mean(values):
    return sum(values) / len(values)


def run(pacer_factory, operators, seeds, day, model=None):
    return [
        simulation.simulate_day(pacer_factory(), operators, seed, model=model, day_seconds=day)
        for seed in seeds
    ]


def row(label, results):
    occupancy = [r.occupancy for r in results]
    abandonment = [r.abandonment for r in results]
    print(
        f"  {label:<26} occupancy {mean(occupancy):6.1%} (min {min(occupancy):6.1%})"
        f"   abandonment {mean(abandonment):5.2%} (max {max(abandonment):5.2%})"
        f"   answered/day {mean([r.answered for r in results]):7.0f}"
        f"   dials/day {mean([r.dialed for r in results]):7.0f}"
    )
    return mean(occupancy), max(abandonment)


def tuned_fixed_ratio(operators, seeds, day):
    best = None
    for ratio in RATIOS:
        results = run(lambda r=ratio: pacing.Pacer("fixed", fixed_ratio=r), operators, seeds, day)
        if max(r.abandonment for r in results) <= CAP:
            best = (ratio, results)
        else:
            break
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--operators", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--hours", type=float, default=8.0)
    args = parser.parse_args()
    day = int(args.hours * 3600)
    started = time.time()
    model = simulation.CustomerModel()
    print(
        f"Simulated day of {args.hours:g} h, seeds {args.seeds}; customers answer "
        f"{model.answer_rate:.0%} after ~{model.ring_answered_mean:g} s (others: busy/invalid "
        f"in 1-5 s or no answer at {model.no_answer_timeout:g} s); talk "
        f"{model.short_talk_share:.0%} ~{model.short_talk_mean:g} s, the rest "
        f"~{model.long_talk_mean:g} s; wrap-up ~{model.wrapup_mean:g} s; cap {CAP:.0%} "
        "silent calls per answered call, an answered customer waits at most 3 s."
    )
    verdicts = []
    for operators in args.operators:
        print(f"\n{operators} operators")
        progressive, _ = row(
            "progressive", run(lambda: pacing.Pacer("progressive"), operators, args.seeds, day)
        )
        predictive, predictive_worst = row(
            "predictive", run(lambda: pacing.Pacer("predictive"), operators, args.seeds, day)
        )
        tuned = tuned_fixed_ratio(operators, args.seeds, day)
        fixed = row(f"fixed ratio {tuned[0]:g} (tuned)", tuned[1])[0] if tuned else 0.0
        oracle, _ = row(
            "oracle (knows outcomes)",
            [simulation.simulate_outcome_oracle(operators, s, day_seconds=day) for s in args.seeds],
        )
        clairvoyant, _ = row(
            "clairvoyant (bound)",
            [simulation.simulate_clairvoyant(operators, s, day_seconds=day) for s in args.seeds],
        )
        share = 0.95 if operators >= 50 else 0.90
        print(
            f"  predictive / oracle {predictive / oracle:6.1%}, / clairvoyant "
            f"{predictive / clairvoyant:6.1%}, / progressive {predictive / progressive:6.2f}x"
        )
        verdicts += [
            (
                f"{operators} ops: predictive at or under the cap in every seed",
                predictive_worst <= CAP,
            ),
            (
                f"{operators} ops: predictive >= {share:.0%} of the oracle",
                predictive >= share * oracle,
            ),
            (f"{operators} ops: predictive above the tuned fixed ratio", predictive > fixed),
        ]
    print("\nAnswer rate falling from 30% to 10% at mid-day")
    drop = simulation.CustomerModel(answer_rate=simulation.answer_rate_drop(at=day / 2))
    for operators in args.operators:
        _occupancy, worst = row(
            f"{operators} ops predictive",
            run(lambda: pacing.Pacer("predictive"), operators, args.seeds, day, model=drop),
        )
        verdicts.append(
            (f"{operators} ops: under the cap when the answer rate drops", worst <= CAP)
        )
    print("\nTargets")
    for label, met in verdicts:
        print(f"  {'met    ' if met else 'NOT MET'}  {label}")
    print(f"\n({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
