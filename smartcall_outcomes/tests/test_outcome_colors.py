# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
import itertools

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

# CIE76 distance in L*a*b*: about 2 is the smallest difference an eye notices; above 40 two
# colours are different colours, not shades of one.
AT_A_GLANCE = 40


def _lab(hex_color):
    """sRGB "#rrggbb" -> CIE L*a*b* (D65)."""
    rgb = [int(hex_color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _distance(color_1, color_2):
    return sum((p - q) ** 2 for p, q in zip(_lab(color_1), _lab(color_2), strict=True)) ** 0.5


@tagged("post_install", "-at_install")
class TestOutcomeColors(TransactionCase):
    """Seed 001, "Colori degli Esiti": recall (R) and negative (N) outcomes have colours that
    tell apart at a glance, so the supervisor reads the wall's prevailing colours."""

    def test_recall_and_negative_colours_tell_apart(self):
        Outcome = self.env["smartcall.outcome"]
        recalls = Outcome.search([("type", "=", "R")])
        negatives = Outcome.search([("type", "=", "N")])
        self.assertEqual(len(recalls), 2)
        self.assertEqual(len(negatives), 15)
        too_close = [
            (r.code, r.color, n.code, n.color, round(_distance(r.color, n.color), 1))
            for r, n in itertools.product(recalls, negatives)
            if _distance(r.color, n.color) < AT_A_GLANCE
        ]
        self.assertEqual(too_close, [])

    def test_distance_tells_the_old_amber_from_the_recalls_apart_as_too_close(self):
        """The measure itself: B's old amber was too close to both R colours."""
        self.assertLess(_distance("#ffb300", "#fdd835"), AT_A_GLANCE)
        self.assertLess(_distance("#ffb300", "#fb8c00"), AT_A_GLANCE)
        self.assertGreater(_distance("#757575", "#fdd835"), AT_A_GLANCE)

    def _migration(self):
        path = f"{get_module_path('smartcall_outcomes')}/migrations/18.0.1.1.0/post-migrate.py"
        spec = importlib.util.spec_from_file_location("smartcall_outcomes_colors_1_1", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def test_migration_recolours_only_what_the_manager_left_as_shipped(self):
        busy = self.env.ref("smartcall_outcomes.outcome_b")
        switched = self.env.ref("smartcall_outcomes.outcome_cpoc")
        busy.color = "#FFB300"  # as shipped before (any case)
        switched.color = "#123456"  # chosen by the manager: kept
        self.env.flush_all()
        self._migration().migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(busy.color, "#757575")
        self.assertEqual(switched.color, "#123456")
