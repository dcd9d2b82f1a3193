import mapclassify
import numpy as np
import pytest

from placemap.analysis.classify import NO_DATA_COLOUR, classify_values, palette_colours
from placemap.data.indicators import Polarity

VALUES = np.array([3.0, 10.0, 1.0, 7.0, 22.0, 15.0, 4.0, 9.0, 30.0, 2.0])


@pytest.mark.parametrize(
    "scheme, cls",
    [
        ("quantiles", mapclassify.Quantiles),
        ("equal_interval", mapclassify.EqualInterval),
        ("fisher_jenks", mapclassify.FisherJenks),
    ],
)
def test_classes_and_breaks_match_mapclassify(scheme, cls):
    expected = cls(VALUES, k=4)
    c = classify_values(VALUES, scheme, 4, polarity=Polarity.HIGH_IS_WORSE)
    assert c.bins == pytest.approx(list(expected.bins))
    assert c.classes.tolist() == expected.yb.tolist()
    assert c.counts == np.bincount(expected.yb).tolist()


def test_low_is_deprived_reverses_so_the_most_deprived_get_the_dark_end():
    high = classify_values(VALUES, "quantiles", 5, polarity=Polarity.HIGH_IS_WORSE, palette="YlOrRd")
    low = classify_values(VALUES, "quantiles", 5, polarity=Polarity.LOW_IS_WORSE, palette="YlOrRd")
    darkest = palette_colours("YlOrRd", 5)[-1]
    assert high.colours[int(np.argmax(VALUES))] == darkest  # highest score = most deprived
    assert low.colours[int(np.argmin(VALUES))] == darkest  # rank 1 = most deprived
    assert low.labels[-1].startswith("1.000 to")  # legend's darkest entry covers the lowest ranks


def test_viridis_runs_light_to_dark_like_the_colorbrewer_palettes():
    light, dark = palette_colours("viridis", 5)[0], palette_colours("viridis", 5)[-1]
    luminance = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (light, dark)]
    assert luminance[0] > luminance[1]


def test_missing_values_get_the_no_data_colour_and_are_counted():
    values = np.array([1.0, np.nan, 3.0, 4.0, np.nan])
    c = classify_values(values, "quantiles", 3, polarity=Polarity.HIGH_IS_WORSE)
    assert c.classes.tolist()[1] == -1 and c.classes.tolist()[4] == -1
    assert c.colours[1] == NO_DATA_COLOUR
    assert c.n_missing == 2
    assert NO_DATA_COLOUR not in c.palette


def test_all_equal_values_make_one_class_not_an_error():
    c = classify_values(np.array([5.0, 5.0, 5.0]), "fisher_jenks", 5, polarity=Polarity.HIGH_IS_WORSE)
    assert c.classes.tolist() == [0, 0, 0]
    assert len(c.palette) == 1 and c.labels == ["5.000"]


def test_fewer_values_than_classes_uses_one_class_per_value():
    c = classify_values(np.array([1.0, 2.0]), "quantiles", 7, polarity=Polarity.HIGH_IS_WORSE)
    assert len(c.palette) == 2
    assert sorted(c.classes.tolist()) == [0, 1]


def test_all_missing_values_give_an_empty_legend_and_no_data_everywhere():
    c = classify_values(np.array([np.nan, np.nan]), "quantiles", 5, polarity=Polarity.HIGH_IS_WORSE)
    assert c.palette == [] and c.colours == [NO_DATA_COLOUR, NO_DATA_COLOUR] and c.n_missing == 2


def test_national_deciles_follow_englands_bounds_not_the_local_spread():
    national_bins = [100.0 * d for d in range(1, 11)]  # decile d holds ranks up to 100*d
    local = np.array([5.0, 95.0, 101.0, 950.0])
    c = classify_values(local, "national_deciles", 10, polarity=Polarity.LOW_IS_WORSE, national_bins=national_bins)
    assert c.classes.tolist() == [9, 9, 8, 0]  # class 9 = decile 1 (dark end)
    assert c.labels[-1].startswith("Decile 1 (most deprived 10%)")
    assert c.labels[0].startswith("Decile 10 (least deprived 10%)")
    assert c.counts[-1] == 2


def test_unknown_scheme_or_palette_is_refused():
    with pytest.raises(ValueError, match="Unknown classification scheme"):
        classify_values(VALUES, "nonsense", 4, polarity=Polarity.HIGH_IS_WORSE)
    with pytest.raises(ValueError, match="Unknown palette"):
        classify_values(VALUES, "quantiles", 4, polarity=Polarity.HIGH_IS_WORSE, palette="jet")


def test_fisher_jenks_on_many_values_is_sampled_but_repeatable():
    values = np.random.default_rng(1).gamma(2.0, 10.0, 12_000)
    first = classify_values(values, "fisher_jenks", 6, polarity=Polarity.HIGH_IS_WORSE)
    second = classify_values(values, "fisher_jenks", 6, polarity=Polarity.HIGH_IS_WORSE)
    assert first.bins == second.bins and len(first.bins) == 6
    assert first.bins[-1] == values.max()


def test_natural_breaks_are_compiled_when_first_asked_for_not_when_a_server_starts():
    # A fresh process (as a server starting): importing mapclassify through Placemap compiles nothing,
    # and the first natural breaks are still the exact Fisher-Jenks groups.
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import numpy as np\n"
        "from placemap.analysis import classify\n"
        "mc = classify._mapclassify()\n"
        "print(len(mc.classifiers._fisher_jenks_means.signatures))\n"
        "c = classify.classify_values(np.array([1., 2., 3., 10., 11., 12., 20., 21., 22.]), 'fisher_jenks', 3,"
        " polarity='high_is_deprived')\n"
        "print(c.bins, c.classes.tolist())\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True)
    compiled_at_import, breaks = out.stdout.strip().splitlines()
    assert compiled_at_import == "0"
    assert breaks == "[3.0, 12.0, 22.0] [0, 0, 0, 1, 1, 1, 2, 2, 2]"
