package neo4jstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// A Config printed, logged or marshalled shows no password, neither its
// own nor one written into the URI.
func TestConfigNeverShowsThePassword(t *testing.T) {
	const secret, inURI = "Sekrit-Pw-4242", "Uri-Pw-9191"
	cfg := Config{URI: "neo4j://neo4j:" + inURI + "@db.example:7687", User: "neo4j", Password: secret, Database: "neo4j"}
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out = append(out, fmt.Sprintf(verb, cfg), fmt.Sprintf(verb, &cfg))
	}
	out = append(out, fmt.Sprint(struct{ C Config }{cfg}), fmt.Sprintf("%+v", []Config{cfg}))
	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(h(&b)).Info("opening", "config", cfg, "ptr", &cfg)
		out = append(out, b.String())
	}
	j, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, string(j))
	for _, s := range out {
		if strings.Contains(s, secret) || strings.Contains(s, inURI) {
			t.Errorf("the password shows: %s", s)
		}
	}
	if s := cfg.String(); !strings.Contains(s, "db.example") || !strings.Contains(s, "User:neo4j") || !strings.Contains(s, "Password:xxxxx") {
		t.Errorf("String says too little: %s", s)
	}
}

// A URI the driver cannot parse is quoted whole in its error: the password
// written into it is taken out.
func TestOpenErrorsHoldNoPassword(t *testing.T) {
	const secret, inURI = "Sekrit-Pw-4242", "Uri Pw 9191" // the spaces make the URI unparsable
	for _, uri := range []string{
		"bolt://neo4j:" + inURI + "@127.0.0.1:7687",
		"nope://neo4j:" + inURI + "@127.0.0.1",
		"bolt://neo4j:" + inURI + "@127.0.0.1:7687/x?routing=1",
		"bolt://neo4j:Uri-Pw-9191@127.0.0.1:1", // parses; nobody listens
	} {
		_, err := Open(context.Background(), Config{URI: uri, User: "neo4j", Password: secret})
		if err == nil {
			t.Fatalf("%s: opened", uri)
		}
		msg := err.Error() + " " + coopgraph.ErrorMessage(err)
		if strings.Contains(msg, secret) || strings.Contains(msg, inURI) || strings.Contains(msg, "Uri-Pw-9191") {
			t.Errorf("%s: the error shows a password: %s", uri, msg)
		}
	}
}
