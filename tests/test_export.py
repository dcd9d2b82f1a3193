import pandas as pd

from placemap.render.export import to_safe_csv


def test_formula_cells_are_neutralised_and_numbers_kept():
    frame = pd.DataFrame({"name": ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "plain"], "value": [-1.5, 2, 3, 4, 5]})
    text = to_safe_csv(frame, ["Title", "=evil()"]).decode("utf-8-sig")
    assert "'=1+1" in text and "'+SUM(A1)" in text and "'-2+3" in text and "'@cmd" in text
    assert "\nplain," in text and "-1.5" in text and "'-1.5" not in text
    assert text.startswith("# Title\n# '=evil()\n")


def test_csv_reads_back_with_the_same_rows():
    frame = pd.DataFrame({"LSOA code": ["E01000001"], "Value": [1.25]})
    text = to_safe_csv(frame).decode("utf-8-sig")
    assert text.splitlines() == ["LSOA code,Value", "E01000001,1.25"]
