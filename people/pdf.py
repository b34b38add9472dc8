"""Login sheets as PDF. The one module that imports WeasyPrint in people (STYLE.md, habit 7)."""

from dataclasses import dataclass

from weasyprint import HTML

from django.template.loader import render_to_string


@dataclass(frozen=True)
class LoginSheetRow:
    full_name: str
    village: str
    username: str
    code: str  # as printed, ABCD-EFGH


def login_sheet_pdf(*, title: str, login_url: str, expires: str, rows: list[LoginSheetRow]) -> bytes:
    """A4 pages of cut-out slips, one per companion: name, village, username, code and where to type it."""
    html = render_to_string(
        "people/access/login_sheet.html", {"title": title, "login_url": login_url, "expires": expires, "rows": rows}
    )
    return HTML(string=html).write_pdf()
