package coopgraph

import (
	"errors"
	"fmt"
	"testing"
)

// TestErrorSpell: an Option is written with its API name in Message and as
// the surface spells it with Spell; a name the spelling does not know, and
// a message without Options, stay as they are.
func TestErrorSpell(t *testing.T) {
	e := Errorf(EINVALID, "%s %q is after %s %q; narrow %s", Option("activeFrom"), "2020", Option("activeTo"), "2019", Option("relationTypes"))
	if want := `activeFrom "2020" is after activeTo "2019"; narrow relationTypes`; e.Message != want {
		t.Errorf("Message %q, want %q", e.Message, want)
	}
	flags := map[string]string{"activeFrom": "--active-from", "activeTo": "--active-to"}
	if got, want := e.Spell(func(o string) string { return flags[o] }), `--active-from "2020" is after --active-to "2019"; narrow relationTypes`; got != want {
		t.Errorf("Spell %q, want %q", got, want)
	}
	if got := fmt.Sprint(e.Options()); got != "[activeFrom activeTo relationTypes]" {
		t.Errorf("Options %s", got)
	}
	var wrapped *Error
	if !errors.As(fmt.Errorf("x: %w", e), &wrapped) || wrapped.Spell(func(string) string { return "X" }) != `X "2020" is after X "2019"; narrow X` {
		t.Errorf("wrapped: %v", wrapped)
	}
	plain := &Error{Code: EINVALID, Message: "50% done"}
	if plain.Spell(func(string) string { return "X" }) != "50% done" || Errorf(ELIMIT, "%d%%", 5).Spell(func(string) string { return "X" }) != "5%" {
		t.Error("a message without options changed")
	}
}
