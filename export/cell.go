package export

// SafeCell neutralises a text cell of a CSV table against formula
// injection, by OWASP's rule: a cell that starts with =, +, -, @, a tab
// (0x09) or a carriage return (0x0D) is one a spreadsheet may evaluate
// (=HYPERLINK(…) sends the reader's data away, +cmd|' /C calc'!A0 runs a
// program, -2+3 and @SUM(1) are formulas too), so it gets a leading ',
// which spreadsheets take as "this is text" and do not show. Every CSV
// coopgraph writes passes text from datasets through here: the API's and
// the CLI's tables alike.
//
// A cell that already starts with ' gets one more, so that the rule can be
// undone exactly: the loader drops the first ' of a cell when a formula
// character or another ' follows it, and an exported nodes.csv and
// edges.csv read back as the dataset written (a spreadsheet, too, shows
// the name 's-Hertogenbosch, written with two quotes, with one).
//
// Numbers the program writes from numbers (ranks, scores, community
// indexes, depths) are not passed here: strconv writes them as a number,
// which a spreadsheet reads as a number and never runs, and a negative one
// must stay a number.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\'':
		return "'" + s
	}
	return s
}
