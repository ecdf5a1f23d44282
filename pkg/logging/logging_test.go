package logging

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestCloudRunJSON(t *testing.T) {
	env := map[string]string{"CLOUD_RUN_JOB": "extractor", "CLOUD_RUN_EXECUTION": "extractor-abc"}
	var buf bytes.Buffer
	l := New(&buf, Options{Getenv: func(k string) string { return env[k] }})
	l.Warn("quota low", "run_id", "r1", TraceAttr("p", "r1"))

	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v: %s", err, buf.String())
	}
	for k, want := range map[string]string{
		"severity": "WARNING", "message": "quota low", "run_id": "r1",
		"logging.googleapis.com/trace": "projects/p/traces/r1",
	} {
		if got[k] != want {
			t.Errorf("%s = %v, want %q", k, got[k], want)
		}
	}
	labels, _ := got["logging.googleapis.com/labels"].(map[string]any)
	if labels["job"] != "extractor" || labels["execution"] != "extractor-abc" {
		t.Errorf("labels = %v", labels)
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name     string
		format   Format
		env      map[string]string
		wantJSON bool
	}{
		{"auto on a laptop", FormatAuto, nil, false},
		{"auto in Cloud Run", FormatAuto, map[string]string{"CLOUD_RUN_JOB": "loader"}, true},
		{"forced json", FormatJSON, nil, true},
		{"forced text in Cloud Run", FormatText, map[string]string{"K_SERVICE": "x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := New(&buf, Options{Format: tt.format, NoColor: true, Getenv: func(k string) string { return tt.env[k] }})
			l.Info("hello", "n", 1)
			isJSON := json.Valid(bytes.TrimSpace(buf.Bytes()))
			if isJSON != tt.wantJSON {
				t.Fatalf("JSON = %v, want %v: %s", isJSON, tt.wantJSON, buf.String())
			}
			if !strings.Contains(buf.String(), "hello") {
				t.Fatalf("message missing: %s", buf.String())
			}
		})
	}
}

func TestLevel(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, Options{Format: FormatJSON, Level: ParseLevel("warn")})
	l.Info("dropped")
	l.Error("kept")
	if strings.Contains(buf.String(), "dropped") || !strings.Contains(buf.String(), "kept") {
		t.Fatalf("level filter wrong: %s", buf.String())
	}
}

func TestForRunSharesTrace(t *testing.T) {
	var a, b bytes.Buffer
	ForRun(New(&a, Options{Format: FormatJSON}), "proj", "saramin-1").Info("extract")
	ForRun(New(&b, Options{Format: FormatJSON}), "proj", "saramin-1").Info("load")
	var la, lb map[string]any
	if err := json.Unmarshal(a.Bytes(), &la); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b.Bytes(), &lb); err != nil {
		t.Fatal(err)
	}
	tr, _ := la["logging.googleapis.com/trace"].(string)
	if !strings.HasPrefix(tr, "projects/proj/traces/") || len(tr) != len("projects/proj/traces/")+32 || tr != lb["logging.googleapis.com/trace"] {
		t.Fatalf("traces %v / %v", la["logging.googleapis.com/trace"], lb["logging.googleapis.com/trace"])
	}
	if la["run_id"] != "saramin-1" {
		t.Fatalf("run_id %v", la["run_id"])
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string // "" for valid
	}{
		{Config{LogLevel: "info", LogFormat: "auto"}, ""},
		{Config{LogLevel: "WARN", LogFormat: "json"}, ""},
		{Config{LogLevel: "debug", LogFormat: "text"}, ""},
		{Config{LogLevel: "loud", LogFormat: "text"}, `LOG_LEVEL is "loud"; want debug, info, warn or error`},
		{Config{LogLevel: "info", LogFormat: "yaml"}, `LOG_FORMAT is "yaml"; want auto, text or json`},
		{Config{LogLevel: "", LogFormat: ""}, ""}, // set but empty: info and auto, as before
		{Config{LogLevel: "loud", LogFormat: "xml"}, "LOG_LEVEL is \"loud\"; want debug, info, warn or error\nLOG_FORMAT is \"xml\"; want auto, text or json"},
	} {
		err := tc.cfg.Validate()
		if got := fmt.Sprint(err); (tc.want == "" && err != nil) || (tc.want != "" && got != tc.want) {
			t.Errorf("%+v: Validate() = %v; want %q", tc.cfg, err, tc.want)
		}
	}
}
