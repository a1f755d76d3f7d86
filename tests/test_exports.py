"""Spreadsheet downloads never carry a live formula, whatever people's names or imported texts say."""

from socialgov.web.exports import csv_response, spreadsheet_safe


def test_text_a_spreadsheet_would_run_is_made_inert():
    for dangerous in ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]:
        assert spreadsheet_safe(dangerous) == "'" + dangerous
    for harmless in ["Ailsa Munro", "O'Neil", "", "3 - 2"]:
        assert spreadsheet_safe(harmless) == harmless
    assert spreadsheet_safe(-5) == -5  # numbers stay numbers


def test_the_csv_stream_applies_it_to_every_cell():
    response = csv_response("x.csv", ["Name", "Score"], [["=cmd|' /C calc'!A0", -1], ["Plain", 2]])

    body = b"".join(response.streaming_content).decode()

    assert body.splitlines() == ["Name,Score", "'=cmd|' /C calc'!A0,-1", "Plain,2"]
