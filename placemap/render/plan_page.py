"""A place plan drawn: each outcome's trajectory (Altair), and the plan on a page (A4 landscape PDF and PNG, CSV).

Pure: no Streamlit, never reads files. The page is built with matplotlib (already a dependency)
so its text stays text (searchable, readable by screen readers); every piece of user text is drawn
with ``parse_math=False``, so a "$" in a plan's aim is a dollar sign, not mathematics.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

import altair as alt
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from placemap.analysis.plan_progress import Reading, Status
from placemap.data.catalogue import IOD_ATTRIBUTION
from placemap.render import export
from placemap.render.staticmap import FONT_FAMILY

A4_LANDSCAPE = (11.69, 8.27)  # inches
INK, MUTED, RULE = "#1f1f1f", "#4a4a4a", "#bdbdbd"
# Colour-blind-safe (Okabe-Ito) status colours, always with the status in words beside them.
STATUS_COLOURS = {
    Status.TOWARDS: "#009E73",
    Status.REACHED: "#0072B2",
    Status.NO_CLEAR_CHANGE: "#7f7f7f",
    Status.AWAY: "#D55E00",
    Status.CANNOT_SAY: "#7f7f7f",
}
READING_COLOUR, TARGET_COLOUR = "#0072B2", "#D55E00"
PNG_DPI = 150


@dataclass(frozen=True)
class PageOutcome:
    """One outcome as shown: its numbers in words, status, lead, source, and the readings to draw."""

    name: str
    indicator: str
    baseline: str
    latest: str
    target: str
    status: Status
    reason: str
    lead: str
    source: str
    readings: tuple[Reading, ...] = ()
    baseline_year: int = 0
    target_value: float = 0.0
    target_year: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanPage:
    """What the plan on a page holds."""

    name: str
    place: str
    aim: str
    partners: tuple[str, ...]
    outcomes: tuple[PageOutcome, ...]
    link: str = ""
    frozen: str = ""
    rules: tuple[str, ...] = ()
    made: dt.date = field(default_factory=dt.date.today)

    @property
    def sources(self) -> list[str]:
        """Every outcome's source, once each, and the attribution."""
        found = list(dict.fromkeys(o.source for o in self.outcomes if o.source))
        return [*found, IOD_ATTRIBUTION]


def trajectory_frame(outcome: PageOutcome) -> pd.DataFrame:
    """The points of an outcome's trajectory: its readings, and the target at its date.

    >>> o = PageOutcome("Jobs", "Rank", "1", "2", "3", Status.TOWARDS, "", "", "",
    ...                 (Reading(2019, "IoD2019", 1.0), Reading(2025, "IoD2025", 2.0)), 2019, 3.0, 2030)
    >>> trajectory_frame(o)[["year", "value", "kind"]].values.tolist()
    [[2019, 1.0, 'baseline'], [2025, 2.0, 'reading'], [2030, 3.0, 'target']]
    """
    rows = [
        {
            "year": r.year,
            "value": r.value,
            "edition": r.edition,
            "kind": "baseline" if r.year == outcome.baseline_year else "reading",
        }
        for r in sorted(outcome.readings, key=lambda r: r.year)
        if r.value is not None and r.year
    ]
    rows.append({"year": outcome.target_year, "value": outcome.target_value, "edition": "Target", "kind": "target"})
    return pd.DataFrame(rows, columns=["year", "value", "edition", "kind"])


def trajectory_chart(outcome: PageOutcome, unit: str = "") -> alt.LayerChart:
    """An outcome's readings as a line, with a dashed line from the baseline to the target."""
    frame = trajectory_frame(outcome)
    readings = frame[frame["kind"] != "target"]
    plan = frame[frame["kind"].isin(["baseline", "target"])]
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(zero=False))
    y = alt.Y("value:Q", title=unit or outcome.indicator, scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("edition:N", title="Edition"), alt.Tooltip("value:Q", title="Value", format=",.4~g")]
    line = alt.Chart(readings).mark_line(point=alt.OverlayMarkDef(size=70), color=READING_COLOUR)
    towards = alt.Chart(plan).mark_line(strokeDash=[6, 4], color=TARGET_COLOUR)
    target = alt.Chart(frame[frame["kind"] == "target"]).mark_point(
        shape="diamond", size=140, filled=True, color=TARGET_COLOUR
    )
    return alt.layer(
        towards.encode(x=x, y=y), line.encode(x=x, y=y, tooltip=tooltip), target.encode(x=x, y=y, tooltip=tooltip)
    ).properties(
        title=alt.Title(outcome.name, subtitle=[f"Status: {outcome.status.value}", outcome.source]), height=220
    )


def outcomes_frame(page: PlanPage) -> pd.DataFrame:
    """The outcomes as a table (the page's CSV and the screen's table)."""
    return pd.DataFrame(
        [
            {
                "Outcome": o.name,
                "Indicator": o.indicator,
                "Baseline": o.baseline,
                "Latest": o.latest,
                "Target": o.target,
                "Status": o.status.value,
                "Why": o.reason,
                "Lead partner": o.lead,
                "Source": o.source,
            }
            for o in page.outcomes
        ],
        columns=["Outcome", "Indicator", "Baseline", "Latest", "Target", "Status", "Why", "Lead partner", "Source"],
    )


def plan_csv(page: PlanPage) -> bytes:
    """The outcomes as formula-safe CSV, headed by the plan's name, place and link."""
    header = [f"Place plan: {page.name}", f"Place: {page.place}", f"Made {page.made:%d %B %Y} with Placemap"]
    if page.link:
        header.append(f"Link: {page.link}")
    return export.to_safe_csv(outcomes_frame(page), header)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width=width) or [""]


def _sparkline(fig: Figure, box: tuple[float, float, float, float], outcome: PageOutcome) -> None:
    frame = trajectory_frame(outcome)
    ax = fig.add_axes(box)
    ax.set_axis_off()
    readings = frame[frame["kind"] != "target"]
    plan = frame[frame["kind"].isin(["baseline", "target"])]
    if len(plan) == 2:
        ax.plot(plan["year"], plan["value"], linestyle=(0, (3, 2)), color=TARGET_COLOUR, linewidth=1)
    ax.plot(readings["year"], readings["value"], marker="o", markersize=2.5, color=READING_COLOUR, linewidth=1.2)
    ax.plot([outcome.target_year], [outcome.target_value], marker="D", markersize=3.5, color=TARGET_COLOUR)


_COLUMNS = (  # heading, left edge (of the page's width), characters per line
    ("Outcome", 0.04, 30),
    ("Baseline", 0.25, 16),
    ("Latest", 0.36, 16),
    ("Target", 0.47, 16),
    ("Trajectory", 0.58, 0),
    ("Status", 0.70, 18),
    ("Lead", 0.83, 24),
)


def plan_figure(page: PlanPage) -> Figure:
    """The plan on one A4 landscape page: aim, partners, a row per outcome, and the sources."""
    fig = Figure(figsize=A4_LANDSCAPE)
    text = {"family": FONT_FAMILY, "parse_math": False, "va": "top"}
    fig.text(0.04, 0.965, f"Place plan: {page.name}", fontsize=17, fontweight="bold", color=INK, **text)
    subtitle = f"{page.place} · made {page.made:%d %B %Y} with Placemap"
    if page.frozen:
        subtitle += f" · {page.frozen}"
    fig.text(0.04, 0.925, subtitle, fontsize=9, color=MUTED, **text)
    y = 0.895
    for line in _wrap(f"Shared aim: {page.aim or 'not written yet'}", 170)[:3]:
        fig.text(0.04, y, line, fontsize=10, color=INK, **text)
        y -= 0.024
    partners = ", ".join(page.partners) or "none listed yet"
    for line in _wrap(f"Partners: {partners}", 190)[:2]:
        fig.text(0.04, y, line, fontsize=8.5, color=MUTED, **text)
        y -= 0.02
    y -= 0.01
    for heading, left, _width in _COLUMNS:
        fig.text(left, y, heading, fontsize=9, fontweight="bold", color=INK, **text)
    y -= 0.025
    fig.add_artist(_rule(y + 0.005))
    sources_top = 0.13
    row_height = min(0.11, (y - sources_top) / max(len(page.outcomes), 1))
    for outcome in page.outcomes:
        cells = {
            "Outcome": f"{outcome.name} ({outcome.indicator})",
            "Baseline": outcome.baseline,
            "Latest": outcome.latest,
            "Target": outcome.target,
            "Status": outcome.status.value,
            "Lead": outcome.lead or "no lead yet",
        }
        lines_fit = max(int(row_height / 0.017), 1)
        for heading, left, width in _COLUMNS:
            if heading == "Trajectory":
                _sparkline(fig, (left, y - row_height + 0.02, 0.10, row_height - 0.03), outcome)
                continue
            colour = STATUS_COLOURS.get(outcome.status, INK) if heading == "Status" else INK
            weight = "bold" if heading in ("Outcome", "Status") else "normal"
            for k, line in enumerate(_wrap(cells[heading], width)[:lines_fit]):
                fig.text(left, y - 0.017 * k, line, fontsize=8, color=colour, fontweight=weight, **text)
        y -= row_height
        fig.add_artist(_rule(y + 0.008))
    if not page.outcomes:
        fig.text(0.04, y, "No outcomes yet.", fontsize=10, color=MUTED, **text)
    y = sources_top
    fig.text(0.04, y, "Sources", fontsize=8.5, fontweight="bold", color=INK, **text)
    y -= 0.018
    for line in [*page.sources, *page.rules]:
        for part in _wrap(line, 210)[:2]:
            if y < 0.02:
                break
            fig.text(0.04, y, part, fontsize=6.5, color=MUTED, **text)
            y -= 0.0135
    if page.link:
        fig.text(
            0.96,
            0.965,
            page.link,
            fontsize=6.5,
            color=MUTED,
            ha="right",
            family=FONT_FAMILY,
            parse_math=False,
            va="top",
        )
    return fig


def _rule(y: float):
    from matplotlib.lines import Line2D

    return Line2D([0.04, 0.96], [y, y], color=RULE, linewidth=0.6)


def plan_pdf(page: PlanPage) -> bytes:
    """The plan on a page as a one-page A4 landscape PDF (text kept as text)."""
    buffer = io.BytesIO()
    fig = plan_figure(page)
    with PdfPages(buffer, metadata={"Title": f"Place plan: {page.name}", "Creator": "Placemap"}) as pdf:
        pdf.savefig(fig)
    return buffer.getvalue()


def plan_png(page: PlanPage, dpi: int = PNG_DPI) -> bytes:
    """The plan on a page as a PNG image (A4 landscape at ``dpi``)."""
    buffer = io.BytesIO()
    plan_figure(page).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def status_counts(outcomes: Sequence[PageOutcome]) -> dict[str, int]:
    """How many outcomes have each status (for the page's summary line)."""
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status.value] = counts.get(o.status.value, 0) + 1
    return counts
