# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one reader of imported CSV/XLSX files (contacts, do-not-call numbers, coverage).

Files are streamed: rows come one at a time with the line where each starts and the
byte position after it, so a background job reads a batch, stores that position with
the batch's data in the same transaction, and the next batch (or a re-run after a
crash) goes on from there. Nothing holds the whole file in memory.

The `csv` module and openpyxl are used rather than base_import's readers because those
load the whole file, drop blank lines and merge multi-line cells, so the line numbers
would not be the ones the user sees in the file.
"""

import codecs
import csv
import re
import unicodedata
import zipfile

CSV_SEPARATORS = (";", ",", "\t", "|")
# Excel on Italian Windows saves CSV in cp1252: the fallback when a file is not UTF-8.
FALLBACK_ENCODING = "cp1252"
CHUNK_SIZE = 1 << 20


class ImportFileError(Exception):
    """The file cannot be read at `line` (None: not at all)."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


def normalize_header(header):
    """'Partita IVA' -> 'partita iva', 'E-mail' -> 'e mail', 'Città' -> 'citta'."""
    text = unicodedata.normalize("NFKD", str(header or ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def is_xlsx(fileobj, filename=None):
    fileobj.seek(0)
    magic = fileobj.read(4)
    fileobj.seek(0)
    return (filename or "").lower().endswith(".xlsx") or magic == b"PK\x03\x04"


def detect_encoding(fileobj):
    """'utf-8-sig' when the whole file is UTF-8 (with or without BOM), else cp1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    fileobj.seek(0)
    try:
        while chunk := fileobj.read(CHUNK_SIZE):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return FALLBACK_ENCODING
    finally:
        fileobj.seek(0)
    return "utf-8-sig"


def detect_separator(fileobj, encoding):
    """The most frequent of ; , TAB | on the first non-empty line (';' when none)."""
    fileobj.seek(0)
    first_line = ""
    for raw in fileobj:
        first_line = raw.decode(encoding, errors="replace")
        if first_line.strip():
            break
    fileobj.seek(0)
    return max(CSV_SEPARATORS, key=first_line.count)


def count_lines(fileobj):
    """Number of lines of a text file (the last one may lack its newline)."""
    fileobj.seek(0)
    count = 0
    last = b""
    while chunk := fileobj.read(CHUNK_SIZE):
        count += chunk.count(b"\n")
        last = chunk
    fileobj.seek(0)
    if last and not last.endswith(b"\n"):
        count += 1
    return count


def iter_csv_rows(fileobj, encoding, separator, position=0, line=0):
    """Yield (line where the row starts, cells, byte position after the row, last line
    of the row) from byte `position`, which is the start of line `line` + 1."""
    fileobj.seek(position)
    state = {"position": position, "line": line}

    def physical_lines():
        for raw in fileobj:
            state["position"] += len(raw)
            state["line"] += 1
            yield raw.decode(encoding, errors="replace").replace("\x00", "")

    # csv asks for one more physical line only while a quoted cell is open: after each
    # row, state holds exactly the end of that row.
    reader = csv.reader(physical_lines(), delimiter=separator)
    while True:
        start = state["line"] + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(str(error), line=start) from error
        yield start, cells, state["position"], state["line"]


def _xlsx_cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def open_xlsx(fileobj):
    # openpyxl is required by Odoo itself (base_import, xlsx reports).
    from openpyxl import load_workbook

    try:
        return load_workbook(fileobj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(str(error)) from error


def count_xlsx_rows(fileobj):
    book = open_xlsx(fileobj)
    try:
        return book.worksheets[0].max_row or 0
    finally:
        book.close()


def iter_xlsx_rows(fileobj, position=0):
    """Yield (row number, cells, row number, row number) of the first sheet after row
    `position` (the position of an XLSX file is the last row read)."""
    book = open_xlsx(fileobj)
    try:
        sheet = book.worksheets[0]
        for number, cells in enumerate(
            sheet.iter_rows(min_row=position + 1, values_only=True), position + 1
        ):
            yield number, [_xlsx_cell_text(cell) for cell in cells], number, number
    finally:
        book.close()


def clean_cells(cells):
    """The cells as text, without NUL characters nor byte order marks (a BOM read as text
    at the start of a line, or pasted into a cell): both invisible, neither data."""
    return [str(cell).replace("\x00", "").replace("\ufeff", "").strip() for cell in cells]
