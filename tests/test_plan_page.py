"""The plan on a page read back: the PDF's text (pdftotext), the PNG's size, the CSV, the trajectory chart."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from PIL import Image

from placemap.analysis.plan_progress import Reading, Status
from placemap.render import plan_page

OUTCOMES = (
    plan_page.PageOutcome(
        "More people in work",
        "Employment: rank",
        "IoD2019: 1,200",
        "IoD2025: 1,500",
        "3,000 by Mar 2030",
        Status.TOWARDS,
        "Relative to England, the place became less deprived.",
        "Blackpool Council",
        "English Indices of Deprivation 2025, MHCLG",
        (Reading(2019, "IoD2019", 1200.0, 3.7), Reading(2025, "IoD2025", 1500.0, 4.4)),
        2019,
        3000.0,
        2030,
    ),
    plan_page.PageOutcome(
        "Households free of deprivation",
        "Households deprived in none of the four dimensions (Census 2011)",
        "Census 2011: 38.0%",
        "Census 2021: 41.0%",
        "50.0% by Mar 2031",
        Status.AWAY,
        "The value changed by +3.",
        "Bloomfield Trust & $Co",
        "Census 2021, ONS",
        (Reading(2011, "Census 2011", 38.0), Reading(2021, "Census 2021", 41.0)),
        2011,
        50.0,
        2031,
    ),
)
PAGE = plan_page.PlanPage(
    "Bloomfield together",
    "Bloomfield, a ward in Blackpool",
    "Every child in Bloomfield grows up free of poverty: $5 a day is not enough.",
    ("Blackpool Council", "Bloomfield Trust & $Co"),
    OUTCOMES,
    link="http://localhost:8501/plan?plan=abcdefgh12345678",
    rules=("The place is its 2021 LSOAs.",),
)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is needed for PDF checks: apt-get install poppler-utils"
    return subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_plan_on_a_page_pdf_names_every_outcome_its_status_lead_and_sources(tmp_path):
    pdf = plan_page.plan_pdf(PAGE)
    text = " ".join(_pdf_text(pdf, tmp_path).split())
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") <= 2
    for outcome in OUTCOMES:
        assert outcome.name in text and outcome.status.value in text
    assert "Place plan: Bloomfield together" in text
    assert "$5 a day is not enough" in text  # a dollar sign stays a dollar sign
    assert "Blackpool Council" in text and "Bloomfield Trust & $Co" in text
    assert "English Indices of Deprivation 2025, MHCLG" in text and "Census 2021, ONS" in text
    assert "Open Government Licence" in text and "2021 LSOAs" in text


def test_the_plan_on_a_page_png_is_a4_landscape():
    image = Image.open(io.BytesIO(plan_page.plan_png(PAGE, dpi=50)))
    width, height = image.size
    assert width > height and abs(width / height - 11.69 / 8.27) < 0.01


def test_the_outcomes_csv_is_formula_safe_and_lists_every_outcome():
    from dataclasses import replace

    hostile = plan_page.PlanPage("Plan", "ward", "", (), (replace(OUTCOMES[0], name='=HYPERLINK("x")'), OUTCOMES[1]))
    text = plan_page.plan_csv(hostile).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert "Households free of deprivation" in text and "moving away" in text


def test_the_trajectory_chart_draws_the_readings_and_a_dashed_line_to_the_target():
    spec = plan_page.trajectory_chart(OUTCOMES[0]).to_dict()
    marks = [layer["mark"] for layer in spec["layer"]]
    assert marks[0]["strokeDash"] == [6, 4] and marks[2]["shape"] == "diamond"
    assert spec["title"]["subtitle"][0] == "Status: moving towards the target"
