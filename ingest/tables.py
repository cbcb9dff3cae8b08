"""One text form for table rows in every format: "Header: value; Header: value".

A row read on its own (a chunk, a quoted answer) keeps what each value means; cells joined with
" | " read like Markdown and lose the header. PDF tables (pdfplumber), DOCX and HTML tables use it.
"""

from __future__ import annotations


def format_rows(cells: list[list[str]]) -> list[str]:
    """Rows after the first (the header) as "Header: value; …" lines; empty cells are left out."""
    if not cells:
        return []
    header = [" ".join(cell.split()) for cell in cells[0]]
    if len(cells) == 1 or sum(1 for name in header if name) < 2:
        return [
            "; ".join(" ".join(c.split()) for c in row if c.strip())
            for row in cells
            if any(c.strip() for c in row)
        ]
    rows = []
    for row in cells[1:]:
        if len(row) < len(header):  # merged cells: which column a value belongs to is unknown
            rows += (
                ["; ".join(" ".join(c.split()) for c in row if c.strip())]
                if any(c.strip() for c in row)
                else []
            )
            continue
        parts = []
        for name, cell in zip(header, row, strict=False):
            value = " ".join(cell.split())
            if value:
                parts.append(f"{name}: {value}" if name and name != value else value)
        if parts:
            rows.append("; ".join(parts))
    return rows
