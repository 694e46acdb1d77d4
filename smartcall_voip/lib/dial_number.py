# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The number a PBX dials, from the E.164 number Smartcall stores (pure function)."""

import re

import phonenumbers

DIAL_FORMATS = ("national", "international", "e164")
E164_RE = re.compile(r"^\+[1-9][0-9]{6,14}$")
PREFIX_RE = re.compile(r"^[0-9*#]{0,8}$")


def to_dial_number(e164, dial_format="national", region="IT", outbound_prefix=""):
    """The digits to send to the PBX for `e164`.

    - ``national``: as dialled from `region`: ``+39 0881 123456`` -> ``0881123456`` in Italy,
      a foreign number with the international access code
      (``+33 4 78 99 88 77`` -> ``0033478998877``);
    - ``international``: ``00`` + country code + number (``00390881123456``);
    - ``e164``: unchanged (``+390881123456``), for PBXs that route E.164.

    `outbound_prefix` (e.g. ``0`` or ``9`` to take an outside line) goes in front.
    A number that is not E.164, or an unknown format: ValueError.
    """
    if not isinstance(e164, str) or not E164_RE.match(e164):
        raise ValueError(f"Not an E.164 number: {e164!r}")
    if dial_format not in DIAL_FORMATS:
        raise ValueError(f"Unknown dial format: {dial_format!r}")
    outbound_prefix = outbound_prefix or ""
    if not PREFIX_RE.match(outbound_prefix):
        raise ValueError(
            f"The outbound prefix may hold only up to 8 digits, * and #: {outbound_prefix!r}"
        )
    if dial_format == "e164":
        number = e164
    elif dial_format == "international":
        number = "00" + e164[1:]
    else:
        try:
            parsed = phonenumbers.parse(e164, None)
        except phonenumbers.NumberParseException as error:
            raise ValueError(f"Not an E.164 number: {e164!r}") from error
        formatted = phonenumbers.format_out_of_country_calling_number(parsed, region or "IT")
        number = re.sub(r"[^0-9+]", "", formatted)
        if number.startswith("+"):  # region without an international access code
            number = "00" + number[1:]
    return outbound_prefix + number
