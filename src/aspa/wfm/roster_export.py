"""The roster as an Excel workbook (openpyxl): the same rows as the CSV, with a frozen header."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

SHEET_TITLE_MAX = 31  # Excel's limit
FORBIDDEN_IN_TITLE = str.maketrans({c: " " for c in "[]:*?/\\"})


def roster_workbook(rows: list[list[str]], *, title: str) -> bytes:
    """``rows[0]`` is the header (name, days); one row per person. Returns the .xlsx bytes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = (title.translate(FORBIDDEN_IN_TITLE).strip() or "Roster")[:SHEET_TITLE_MAX]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            # openpyxl would store a value starting with "=" as a formula: keep every cell plain text.
            cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = max([len(r[0]) for r in rows] + [10]) + 2
    for index in range(2, len(rows[0]) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
