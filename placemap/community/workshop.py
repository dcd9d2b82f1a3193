"""Workshop mode: the story steps, the shareable link, the facilitator's passcode, votes and scores.

Pure Python (no Streamlit): the page reads the URL and the configuration and passes them in.

The facilitator's passcode comes from configuration only (the environment variable
``PLACEMAP_FACILITATOR_PASSCODE`` or ``facilitator_passcode`` in Streamlit secrets). It is
compared in constant time and never logged or shown. With no passcode configured,
moderation is switched off and the page says so.
"""

from __future__ import annotations

import hmac
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from placemap.links.linkvalues import parse_whole
from placemap.render.export import to_safe_csv

# Shareable query-parameter keys of the workshop page.
MODE, STEP, WORKSHOP_ID, LA = "mode", "step", "ws", "la"
WORKSHOP_MODE = "workshop"
PASSCODE_ENV = "PLACEMAP_FACILITATOR_PASSCODE"
PASSCODE_SECRET = "facilitator_passcode"
PASSCODE_MIN = 6

STEPS = (
    ("Our place", "Where we are and how deprived its neighbourhoods are, on the Index of Multiple Deprivation."),
    ("How it compares with England", "For each domain, the share of our LSOAs among England's most deprived 10%."),
    ("Where needs overlap", "Neighbourhoods in England's most deprived 20% on several domains at once."),
    ("What people told us", "Notes on the map: strengths, concerns and ideas, and scores for the place."),
    ("Our priorities", "The priorities we listed, and where everyone put their dots."),
)
NAME_MAX = 120
PRIORITY_MAX = 120
MAX_PRIORITIES = 12
MIN_VOTES, MAX_VOTES, DEFAULT_VOTES = 1, 10, 3
_SHARE_ID = re.compile(r"^[A-Za-z0-9_-]{8,43}$")
_LA_CODE = re.compile(r"^E0[6-9][0-9]{6}$")

# The Place Standard tool's 14 themes (Place Standard, Scotland; used across the UK).
THEMES = {
    "moving_around": "Moving around",
    "public_transport": "Public transport",
    "traffic_parking": "Traffic and parking",
    "streets_spaces": "Streets and spaces",
    "natural_space": "Natural space",
    "play_recreation": "Play and recreation",
    "facilities_services": "Facilities and services",
    "work_economy": "Work and local economy",
    "housing_community": "Housing and community",
    "social_interaction": "Social interaction",
    "identity_belonging": "Identity and belonging",
    "feeling_safe": "Feeling safe",
    "care_maintenance": "Care and maintenance",
    "influence_control": "Influence and sense of control",
}
SCORE_MIN, SCORE_MAX = 1, 7
WHOLE_PLACE = "all"  # the ``place`` of a score given to the whole workshop place rather than one LSOA


class WorkshopError(ValueError):
    """Input a workshop cannot accept; the message says why, in plain words."""


class ModerationError(PermissionError):
    """A facilitator-only action without a valid passcode (or with moderation switched off)."""


@dataclass(frozen=True)
class WorkshopView:
    """What the workshop page shows, from its link."""

    big_screen: bool = False
    step: int = 1
    workshop: str | None = None
    la: str | None = None

    def to_params(self) -> dict[str, str]:
        """The view as query parameters, e.g. ``?mode=workshop&step=2&ws=...&la=...``."""
        params = {}
        if self.big_screen:
            params[MODE] = WORKSHOP_MODE
        params[STEP] = str(self.step)
        if self.workshop:
            params[WORKSHOP_ID] = self.workshop
        if self.la:
            params[LA] = self.la
        return params


def _first(value: object) -> str:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return "" if value is None else str(value).strip()


def _shown(value: str) -> str:
    from placemap.data.prepare import escape_markdown

    return escape_markdown(value if len(value) <= 40 else value[:40] + "…")


def parse_workshop_view(
    params: Mapping[str, object], la_codes: set[str] | frozenset[str]
) -> tuple[WorkshopView, list[str]]:
    """Validate the workshop page's query parameters; bad values fall back with a note.

    Example
    -------
    >>> view, notes = parse_workshop_view({"mode": "workshop", "step": "9"}, {"E06000009"})
    >>> view.big_screen, view.step, notes
    (True, 1, ['There is no step "9": the steps are 1 to 5. Showing step 1.'])
    """
    notes: list[str] = []
    mode = _first(params.get(MODE))
    big = mode.casefold() == WORKSHOP_MODE
    if mode and not big:
        notes.append(f'"{_shown(mode)}" is not a mode; use mode=workshop for the big-screen layout.')
    step = 1
    raw = _first(params.get(STEP))
    if raw:
        if (number := parse_whole(raw, 1, len(STEPS))) is not None:
            step = number
        else:
            notes.append(f'There is no step "{_shown(raw)}": the steps are 1 to {len(STEPS)}. Showing step 1.')
    ws = _first(params.get(WORKSHOP_ID)) or None
    if ws and not _SHARE_ID.match(ws):
        notes.append(f'"{_shown(ws)}" is not a workshop\'s link id.')
        ws = None
    la = _first(params.get(LA)).upper() or None
    if la and la not in la_codes:
        notes.append(f'"{_shown(la)}" is not a local authority code of IoD2025.')
        la = None
    return WorkshopView(big, step, ws, la), notes


# --------------------------------------------------------------------------- facilitator


@dataclass(frozen=True)
class Facilitator:
    """Proof that the passcode was checked; moderation functions require one."""

    _checked: bool = field(default=False, repr=False)


def configured_passcode(env: Mapping[str, str], secrets: Mapping[str, object] | None = None) -> str | None:
    """The facilitator passcode from the environment, else from Streamlit secrets; ``None`` if unset.

    A passcode shorter than ``PASSCODE_MIN`` characters counts as unset (too easy to guess).

    Example
    -------
    >>> configured_passcode({"PLACEMAP_FACILITATOR_PASSCODE": "open-sesame"})
    'open-sesame'
    >>> configured_passcode({}, {"facilitator_passcode": "abc"}) is None
    True
    """
    value = (env.get(PASSCODE_ENV) or "").strip()
    if not value and secrets is not None:
        value = str(secrets.get(PASSCODE_SECRET) or "").strip()
    return value if len(value) >= PASSCODE_MIN else None


def authorise(given: str | None, configured: str | None) -> Facilitator:
    """A ``Facilitator`` if ``given`` matches the configured passcode; else ``ModerationError``.

    Compared with ``hmac.compare_digest`` so the time taken does not reveal how much matched.
    """
    if not configured:
        raise ModerationError(
            "Moderation is switched off: no facilitator passcode is configured. Set the environment variable "
            f"{PASSCODE_ENV} (at least {PASSCODE_MIN} characters) or {PASSCODE_SECRET} in Streamlit secrets."
        )
    if not given or not hmac.compare_digest(given.encode("utf-8"), configured.encode("utf-8")):
        raise ModerationError("That passcode is not right.")
    return Facilitator(_checked=True)


def require_facilitator(facilitator: object) -> None:
    """Raise ``ModerationError`` unless ``facilitator`` came from ``authorise``."""
    if not (isinstance(facilitator, Facilitator) and facilitator._checked):
        raise ModerationError("Only the facilitator can do this: enter the facilitator passcode first.")


# --------------------------------------------------------------------------- validation


def validate_workshop(name: str, votes_per_person: object) -> tuple[str, int]:
    """A workshop's name and number of votes per participant, checked.

    Example
    -------
    >>> validate_workshop(" Bispham residents ", "3")
    ('Bispham residents', 3)
    """
    clean = " ".join(str(name or "").split())
    if not clean:
        raise WorkshopError("Give the workshop a name.")
    if len(clean) > NAME_MAX:
        raise WorkshopError(f"A workshop name can be at most {NAME_MAX} characters.")
    try:
        votes = int(str(votes_per_person))
    except ValueError:
        raise WorkshopError("The number of votes per person must be a whole number.") from None
    if not MIN_VOTES <= votes <= MAX_VOTES:
        raise WorkshopError(f"Each person can have {MIN_VOTES} to {MAX_VOTES} votes.")
    return clean, votes


def validate_la(code: str) -> str:
    """An English LA code (E06, E07, E08, E09)."""
    if not _LA_CODE.match(code or ""):
        raise WorkshopError("That is not an English local authority code.")
    return code


def validate_priority(label: str) -> str:
    """A priority's wording, checked."""
    clean = " ".join(str(label or "").split())
    if not clean:
        raise WorkshopError("Write the priority first.")
    if len(clean) > PRIORITY_MAX:
        raise WorkshopError(f"A priority can be at most {PRIORITY_MAX} characters.")
    return clean


def validate_scores(scores: Mapping[str, object]) -> dict[str, int]:
    """Place Standard scores: known themes only, whole numbers from 1 to 7.

    Example
    -------
    >>> validate_scores({"feeling_safe": 8})
    Traceback (most recent call last):
    ...
    placemap.community.workshop.WorkshopError: Feeling safe: a score must be a whole number from 1 to 7.
    """
    clean: dict[str, int] = {}
    if not scores:
        raise WorkshopError("Score at least one theme.")
    for theme, value in scores.items():
        if theme not in THEMES:
            raise WorkshopError(f'"{_shown(str(theme))}" is not a Place Standard theme.')
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if not SCORE_MIN <= number <= SCORE_MAX or str(value).strip() not in {str(number), f"{number}.0"}:
            raise WorkshopError(f"{THEMES[theme]}: a score must be a whole number from {SCORE_MIN} to {SCORE_MAX}.")
        clean[theme] = number
    return clean


def validate_place(place: str) -> str:
    """``WHOLE_PLACE`` or an LSOA code."""
    if place == WHOLE_PLACE or re.match(r"^E0[0-9]{7}$", place or ""):
        return place
    raise WorkshopError("Scores are for the whole place or one LSOA.")


# --------------------------------------------------------------------------- summaries


def vote_table(priorities: list[tuple[int, str]], counts: Mapping[int, int]) -> pd.DataFrame:
    """Priorities with their votes, most votes first (ties in the order they were listed).

    Example
    -------
    >>> vote_table([(1, "Parks"), (2, "Buses")], {2: 3}).to_dict("list")
    {'Priority': ['Buses', 'Parks'], 'Votes': [3, 0], 'Share of votes': [1.0, 0.0]}
    """
    rows = [(label, int(counts.get(pid, 0)), i) for i, (pid, label) in enumerate(priorities)]
    rows.sort(key=lambda r: (-r[1], r[2]))
    total = sum(r[1] for r in rows)
    return pd.DataFrame(
        {
            "Priority": [r[0] for r in rows],
            "Votes": [r[1] for r in rows],
            "Share of votes": [r[1] / total if total else 0.0 for r in rows],
        }
    )


def score_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Average and spread of scores per place and theme.

    ``scores`` has columns ``place``, ``theme``, ``score`` (one row per participant's score).
    Returns one row per place and theme (all 14 themes for each place), in theme order, with
    ``Theme``, ``Mean``, ``Lowest``, ``Highest``, ``Lower quartile``, ``Upper quartile``, ``People``.
    """
    columns = ["place", "theme", "Theme", "Mean", "Lowest", "Lower quartile", "Upper quartile", "Highest", "People"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    grouped = scores.groupby(["place", "theme"])["score"]
    table = pd.DataFrame(
        {
            "Mean": grouped.mean(),
            "Lowest": grouped.min(),
            "Lower quartile": grouped.quantile(0.25),
            "Upper quartile": grouped.quantile(0.75),
            "Highest": grouped.max(),
            "People": grouped.count(),
        }
    ).reset_index()
    full = pd.MultiIndex.from_product([sorted(scores["place"].unique()), list(THEMES)], names=["place", "theme"])
    table = table.set_index(["place", "theme"]).reindex(full).reset_index()
    table["People"] = table["People"].fillna(0).astype(int)
    table["Theme"] = table["theme"].map(THEMES)
    return table[columns]


def place_label(place: str, la_name: str, area_names: Mapping[str, str] | None = None) -> str:
    """People's name for a score's place."""
    if place == WHOLE_PLACE:
        return f"The whole of {la_name}"
    name = (area_names or {}).get(place)
    return f"{name} ({place})" if name else place


def votes_csv(table: pd.DataFrame, workshop_name: str) -> bytes:
    """The vote results as formula-safe CSV."""
    return to_safe_csv(table, [f"Dot-voting results: {workshop_name}", "Placemap"])


def scores_csv(raw: pd.DataFrame, workshop_name: str) -> bytes:
    """Every Place Standard score (participants as anonymous numbers) as formula-safe CSV."""
    frame = raw.copy()
    if not frame.empty:
        codes = {p: i + 1 for i, p in enumerate(dict.fromkeys(frame["participant"]))}
        frame["participant"] = frame["participant"].map(codes)
        frame["theme"] = frame["theme"].map(THEMES)
    frame = frame.rename(columns={"participant": "Participant", "place": "Place", "theme": "Theme", "score": "Score"})
    return to_safe_csv(
        frame, [f"Place Standard scores (1 = lots of room for improvement, 7 = very little): {workshop_name}"]
    )


def summary_png(
    workshop_name: str,
    place_name: str,
    note_counts: Mapping[str, int],
    votes: pd.DataFrame,
    scores: pd.DataFrame,
) -> bytes:
    """A one-page A4-landscape PNG summary: notes by kind, votes, and the whole-place scores.

    ``scores`` is a ``score_table``; only the whole-place rows are drawn. The workshop name and
    priorities are drawn as typed: a "$" is a dollar sign, never the start of mathtext.
    """
    import matplotlib

    from placemap.render.staticmap import LITERAL_TEXT

    # Saved inside the context too: tick labels are made while the figure is drawn.
    with matplotlib.rc_context(LITERAL_TEXT):
        fig = summary_figure(workshop_name, place_name, note_counts, votes, scores)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    return buffer.getvalue()


def summary_figure(
    workshop_name: str,
    place_name: str,
    note_counts: Mapping[str, int],
    votes: pd.DataFrame,
    scores: pd.DataFrame,
):
    """The ``matplotlib.figure.Figure`` of ``summary_png`` (every text literal, never mathtext).

    Uses the object-oriented API (no ``pyplot``): safe in Streamlit's threads, no global figure left behind.
    """
    import matplotlib
    from matplotlib.figure import Figure

    from placemap.community.notes import CATEGORIES, CATEGORY_COLOURS
    from placemap.render.staticmap import LITERAL_TEXT

    with matplotlib.rc_context(LITERAL_TEXT):
        fig = Figure(figsize=(11.69, 8.27), dpi=150)
        fig.suptitle(f"{workshop_name}: {place_name}", fontsize=18, fontweight="bold", x=0.03, ha="left")
        grid = fig.add_gridspec(2, 2, height_ratios=[1, 1.3], hspace=0.45, wspace=0.45, left=0.2, right=0.97)

        ax = fig.add_subplot(grid[0, 0])
        kinds = list(CATEGORIES)
        ax.barh(
            [CATEGORIES[k] for k in kinds],
            [note_counts.get(k, 0) for k in kinds],
            color=[CATEGORY_COLOURS[k] for k in kinds],
        )
        ax.invert_yaxis()
        ax.set_title("Notes on the map", loc="left")
        ax.set_xlabel("Notes")
        for i, k in enumerate(kinds):
            ax.text(note_counts.get(k, 0), i, f" {note_counts.get(k, 0)}", va="center")

        ax = fig.add_subplot(grid[0, 1])
        if len(votes):
            top = votes.head(8)
            ax.barh([_wrap(p) for p in top["Priority"]], top["Votes"], color="#0072B2")
            ax.invert_yaxis()
            for i, v in enumerate(top["Votes"]):
                ax.text(v, i, f" {v}", va="center")
        else:
            ax.text(0.5, 0.5, "No priorities yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_title("Priorities: votes", loc="left")
        ax.set_xlabel("Votes")

        ax = fig.add_subplot(grid[1, :])
        whole = scores[scores["place"] == WHOLE_PLACE] if len(scores) else scores
        if len(whole) and whole["People"].sum():
            y = range(len(whole))
            ax.hlines(
                list(y), whole["Lowest"], whole["Highest"], color="#999999", linewidth=6, label="Lowest to highest"
            )
            ax.plot(whole["Mean"], list(y), "o", color="#D55E00", markersize=9, label="Average")
            ax.set_yticks(list(y), whole["Theme"])
            ax.invert_yaxis()
            ax.set_xlim(0.5, 7.5)
            ax.legend(loc="lower right")
        else:
            ax.text(0.5, 0.5, "No scores yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(
            "Place Standard scores for the whole place (1 = lots of room for improvement, 7 = very little)", loc="left"
        )
        fig.text(0.03, 0.01, "Placemap · English Indices of Deprivation 2025 (MHCLG), OGL v3.0", fontsize=8)
    return fig


def _wrap(text: str, width: int = 28) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)[:2])


# --------------------------------------------------------------------------- the story's numbers

STORY_YEAR = 2025
OVERLAP_DOMAINS = ("income", "employment", "education", "health", "crime", "barriers", "environment")
OVERLAP_DECILE = 2  # "in need" on a domain = among England's most deprived 20%


def england_comparison(areas: pd.DataFrame, la_code: str, year: int = STORY_YEAR) -> pd.DataFrame:
    """Per domain (IMD first), the share of the LA's LSOAs in England's most deprived 10%.

    England's share is 10% by construction of the deciles (shown beside it for comparison).
    """
    from placemap.data.catalogue import get_domain, get_indicator

    local = areas[areas["la_code"] == la_code]
    rows = []
    for domain in ("imd", *OVERLAP_DOMAINS):
        column = get_indicator(f"{domain}_decile").decile_column(year)
        in_worst = int((local[column] == 1).sum())
        rows.append(
            {
                "Domain": get_domain(domain).label,
                "LSOAs in England's most deprived 10%": in_worst,
                "LSOAs": len(local),
                "Share here": in_worst / len(local) if len(local) else 0.0,
                "Share in England": 0.1,
            }
        )
    return pd.DataFrame(rows)


def overlap_counts(areas: pd.DataFrame, year: int = STORY_YEAR) -> pd.Series:
    """For each LSOA, on how many of the seven domains it is among England's most deprived 20%."""
    from placemap.data.catalogue import get_indicator

    columns = [get_indicator(f"{d}_decile").decile_column(year) for d in OVERLAP_DOMAINS]
    return (areas[columns] <= OVERLAP_DECILE).sum(axis=1).astype(int)


def overlap_table(areas: pd.DataFrame, year: int = STORY_YEAR, top: int = 15) -> pd.DataFrame:
    """The LSOAs in need on the most domains (text alternative to the overlap map)."""
    from placemap.data.catalogue import get_domain, get_indicator

    counts = overlap_counts(areas, year)
    columns = {d: get_indicator(f"{d}_decile").decile_column(year) for d in OVERLAP_DOMAINS}
    names = []
    for code in areas.index:
        names.append(", ".join(get_domain(d).label for d, c in columns.items() if areas.at[code, c] <= OVERLAP_DECILE))
    table = pd.DataFrame(
        {
            "LSOA": areas["area_name"].to_numpy(),
            "LSOA code": areas.index.to_numpy(),
            "Ward": areas["ward_name"].to_numpy(),
            "Domains in England's most deprived 20%": counts.to_numpy(),
            "Which": names,
        }
    )
    table = table.sort_values(["Domains in England's most deprived 20%", "LSOA code"], ascending=[False, True])
    return table.head(top).reset_index(drop=True)


def overlap_classification(counts: pd.Series):
    """Classes 0-7 (domains in need) with a colour-blind-safe sequential palette, for the map."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    from placemap.analysis.classify import Classification

    k = len(OVERLAP_DOMAINS) + 1
    cmap = colormaps["viridis"]
    palette = [to_hex(cmap(1 - i / (k - 1))) for i in range(k)]  # 0 domains light, 7 domains dark
    classes = counts.to_numpy(dtype=int)
    return Classification(
        classes=classes,
        colours=[palette[c] for c in classes],
        palette=palette,
        labels=[f"{i} domain{'s' if i != 1 else ''}" for i in range(k)],
        bins=[float(i) for i in range(k)],
        counts=[int((classes == i).sum()) for i in range(k)],
        n_missing=0,
        scheme="overlap",
    )
