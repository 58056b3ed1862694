package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/web"
)

// serveCLI runs eesim with args and returns its exit code and stderr.
func serveCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var o, e bytes.Buffer
	code := run(args, &streams{Out: &o, Err: &e})
	return code, e.String()
}

// servePost posts body to the web view and returns the status and the
// decoded document.
func servePost(t *testing.T, ts *httptest.Server, path, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(ts.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, doc
}

func serveFile(t *testing.T, ts *httptest.Server, doc map[string]any, name string) []byte {
	t.Helper()
	u := doc["files"].(map[string]any)[name].(string)
	resp, err := http.Get(ts.URL + u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}

// TestServeSameAsCLI checks that the web view's API gives, for the same
// inputs, the files the commands write byte for byte (odds.csv,
// quantiles.csv, whatif.csv) and the messages they print for bad input.
func TestServeSameAsCLI(t *testing.T) {
	feed, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Feed: feed, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	dir := t.TempDir()

	for _, c := range []struct {
		name, path, body, file string
		args                   []string
	}{
		{"odds score", "/api/odds", `{"score":505,"programs":"CEC","runs":3,"horizon":"2mo","seed":7}`, "odds.csv",
			[]string{"odds", "--score", "505", "--programs", "CEC", "--runs", "3", "--horizon", "2mo", "--seed", "7"}},
		{"odds profile", "/api/odds", "", "odds.csv",
			[]string{"odds", "--profile", "testdata/crs/profile.json", "--runs", "3", "--horizon", "2mo"}},
		{"simulate", "/api/projection", `{"runs":4,"horizon":"2mo","draw_size":["CEC=2500"]}`, "quantiles.csv",
			[]string{"simulate", "--runs", "4", "--horizon", "2mo", "--draw-size", "CEC=2500"}},
		{"whatif", "/api/whatif", `{"sweep":"draw-size","spec":"CEC=1000:3000:2000","runs":2,"horizon":"1mo","score":500,"programs":"CEC"}`, "whatif.csv",
			[]string{"whatif", "--draw-size", "CEC=1000:3000:2000", "--runs", "2", "--horizon", "1mo", "--score", "500", "--programs", "CEC"}},
	} {
		body := c.body
		if body == "" {
			p, err := os.ReadFile("testdata/crs/profile.json")
			if err != nil {
				t.Fatal(err)
			}
			body = `{"profile":` + string(p) + `,"runs":3,"horizon":"2mo"}`
		}
		out := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-"))
		if code, stderr := serveCLI(t, append(c.args, "--out", out)...); code != 0 {
			t.Fatalf("%s: eesim exit %d: %s", c.name, code, stderr)
		}
		want, err := os.ReadFile(filepath.Join(out, c.file))
		if err != nil {
			t.Fatal(err)
		}
		status, doc := servePost(t, ts, c.path, body)
		if status != 200 {
			t.Fatalf("%s: %d %v", c.name, status, doc)
		}
		if got := serveFile(t, ts, doc, c.file); !bytes.Equal(got, want) {
			t.Errorf("%s: %s from the API differs from the command's:\n%s\nwant\n%s", c.name, c.file, got, want)
		}
	}

	// Bad input: the API's 400 message is the command's error message.
	for _, c := range []struct {
		path, body string
		args       []string
	}{
		{"/api/odds", `{"score":1300,"programs":"CEC"}`, []string{"odds", "--score", "1300", "--programs", "CEC"}},
		{"/api/odds", `{"score":500}`, []string{"odds", "--score", "500"}},
		{"/api/odds", `{"score":500,"programs":"CEC,XYZ"}`, []string{"odds", "--score", "500", "--programs", "CEC,XYZ"}},
		{"/api/odds", `{"score":500,"programs":"CEC","horizon":"soon"}`, []string{"odds", "--score", "500", "--programs", "CEC", "--horizon", "soon"}},
		{"/api/odds", `{"score":500,"programs":"CEC","start":"2021-06-01"}`, []string{"odds", "--score", "500", "--programs", "CEC", "--start", "2021-06-01"}},
		{"/api/odds", `{"score":500,"programs":"CEC","runs":-2}`, []string{"odds", "--score", "500", "--programs", "CEC", "--runs", "-2"}},
		{"/api/projection", `{"draw_size":["CEC=many"]}`, []string{"simulate", "--draw-size", "CEC=many"}},
		{"/api/whatif", `{"sweep":"mix","spec":"0:2:0.5"}`, []string{"whatif", "--mix", "0:2:0.5"}},
	} {
		code, stderr := serveCLI(t, append(c.args, "--out", filepath.Join(dir, "bad"))...)
		if code != 2 {
			t.Fatalf("%v: exit %d, want 2", c.args, code)
		}
		var cliMsg string
		for _, line := range strings.Split(stderr, "\n") {
			if m, ok := strings.CutPrefix(line, "eesim: "); ok {
				cliMsg = m
			}
		}
		status, doc := servePost(t, ts, c.path, c.body)
		if status != 400 || doc["error"] != cliMsg {
			t.Errorf("%s %s: %d %q, want 400 %q", c.path, c.body, status, doc["error"], cliMsg)
		}
	}
}
