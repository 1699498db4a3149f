package main

import (
	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export/scope"
)

// optionFlags spells the engine's options (coopgraph.Option: the API's
// argument names) as the analysis commands' flags, so that an error says
// --relation-type where the API says relationTypes.
var optionFlags = map[string]string{
	"relationTypes":  "--relation-type",
	"maxHops":        "--max-hops",
	"viaKinds":       "--via-kind",
	"avoid":          "--avoid",
	"activeFrom":     "--active-from",
	"activeTo":       "--active-to",
	"weight":         "--weight",
	"weightProperty": "the NAME of --weight property:NAME",
	"k":              "--k",
	"measure":        "--measure",
	"samples":        "--samples",
	"seed":           "--seed",
	"tolerance":      "--tolerance",
	"epsilon":        "--epsilon",
	"delta":          "--delta",
	"kinds":          "--kind",
	"contextKinds":   "--context-kind",
	"resolution":     "--resolution",
	"level":          "--level",
	"programmes":     "--programme",
	"region":         "--region",
}

// apiOnly are the options no command takes (a projection's: the CLI
// ranks the whole network only; the page's filter's datasets and
// documents), so no CLI message names them.
var apiOnly = map[string]bool{"via": true, "regionLevel": true, "datasets": true, "documents": true}

// commandFlags spells the options whose flag depends on the command.
var commandFlags = map[string]map[string]string{
	"centrality":      {"first": "--top"},
	"brokers":         {"first": "--examples", "id": "--what-if"},
	"region-partners": {"first": "--first"},
}

// flagSpelling is the spelling of command's flags for Error.Spell: the
// command's own first, then the analysis commands', then export's (its
// flags are its query's arguments, kebab-cased).
func flagSpelling(command string) func(option string) string {
	return func(option string) string {
		if f, ok := commandFlags[command][option]; ok {
			return f
		}
		if command == "export" {
			if option == "relationTypes" {
				option = "relationType"
			}
			return scope.FlagSpelling(option)
		}
		return optionFlags[option]
	}
}

// spellFor is err's message with the options it names spelled as
// command's flags.
func spellFor(command string, e *coopgraph.Error) string {
	return e.Spell(flagSpelling(command))
}
