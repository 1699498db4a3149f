package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func genRun(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"gen"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestGenCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "net")
	code, out, errOut := genRun("--participations", "5000", "--seed", "3", "--out", dir)
	if code != 0 || !strings.Contains(out, "5000 participations") {
		t.Fatalf("gen: exit %d, %q, %q", code, out, errOut)
	}
	first, err := os.ReadFile(filepath.Join(dir, "edges.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := genRun("--participations", "5000", "--seed", "3", "--out", dir); code == 0 || !strings.Contains(errOut, "--force") {
		t.Errorf("gen into a non-empty directory: exit %d, %q", code, errOut)
	}
	if code, _, errOut := genRun("--participations", "5000", "--seed", "3", "--out", dir, "--force"); code != 0 {
		t.Fatalf("gen --force: exit %d, %q", code, errOut)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "edges.csv.gz"))
	if !bytes.Equal(first, again) {
		t.Error("the same seed wrote different edges")
	}
	if code, out, errOut := runCmd(t, "validate", "--data", dir); code != 0 {
		t.Errorf("validate the generated dataset: exit %d, %q, %q", code, out, errOut)
	}
}

func TestGenRefuses(t *testing.T) {
	for _, args := range [][]string{
		{"--participations", "0", "--out", t.TempDir()},
		{"--participations", "5000001", "--out", t.TempDir()},
		{"--out", t.TempDir()},
		{"--participations", "10"},
	} {
		code, _, errOut := genRun(args...)
		if code != 1 || errOut == "" {
			t.Errorf("gen %v: exit %d, %q; want 1 and a message", args, code, errOut)
		}
		t.Logf("gen %v: %s", args, strings.TrimSpace(errOut))
	}
}
