package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"
)

type testConfig struct {
	Common
	Fields string        `env:"FIELDS, default=a,b,c" help:"a list"`
	Key    string        `env:"KEY, required" help:"a secret"`
	Wait   time.Duration `env:"WAIT, default=2s"`
}

func TestEnvVarsMatchEnvconfig(t *testing.T) {
	t.Parallel()
	vars := EnvVars(&testConfig{})
	byName := map[string]EnvVar{}
	for _, v := range vars {
		byName[v.Name] = v
	}
	if got := byName["FIELDS"].Default; got != "a,b,c" {
		t.Errorf("FIELDS default = %q, want a,b,c", got)
	}
	if !byName["KEY"].Required || !byName["GOOGLE_CLOUD_PROJECT"].Required {
		t.Errorf("required flags lost: %+v", vars)
	}
	// The documented default is the one go-envconfig applies.
	var cfg testConfig
	lookup := envconfig.MapLookuper(map[string]string{"GOOGLE_CLOUD_PROJECT": "p", "LAKE_BUCKET": "b", "KEY": "k"})
	if err := Parse(context.Background(), Job{Name: "t", Config: &cfg, Flags: flag.NewFlagSet("t", flag.ContinueOnError)}, nil, lookup, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if cfg.Fields != byName["FIELDS"].Default || cfg.Wait != 2*time.Second || cfg.LogFormat != "auto" {
		t.Fatalf("parsed %+v", cfg)
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		help    bool
	}{
		{name: "help", args: []string{"--help"}, help: true},
		{name: "missing required", env: map[string]string{"GOOGLE_CLOUD_PROJECT": "p", "LAKE_BUCKET": "b"}, wantErr: "KEY"},
		{name: "bad flag", args: []string{"--nope"}, wantErr: "nope"},
		{name: "bad time", args: []string{"--from", "yesterday"}, wantErr: "yesterday"},
		{name: "ok", args: []string{"--from", "2026-11-25T09:00:00+09:00"}, env: map[string]string{"GOOGLE_CLOUD_PROJECT": "p", "LAKE_BUCKET": "b", "KEY": "k"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg testConfig
			var from TimeFlag
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.Var(&from, "from", "start")
			var out bytes.Buffer
			err := Parse(context.Background(), Job{Name: "t", Summary: "test job", Config: &cfg, Flags: fs}, tt.args, envconfig.MapLookuper(tt.env), &out)
			switch {
			case tt.help:
				if !errors.Is(err, ErrHelp) || !strings.Contains(out.String(), "KEY") || !strings.Contains(out.String(), "--from") {
					t.Fatalf("help: %v\n%s", err, out.String())
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error()+out.String(), tt.wantErr) {
					t.Fatalf("err = %v, want mention of %q", err, tt.wantErr)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if want := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC); !from.T.Equal(want) {
					t.Fatalf("from = %v, want %v", from.T, want)
				}
			}
		})
	}
}

func TestFinishLogsTheSignals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		code int
		line string
	}{
		{nil, 0, `"heartbeat":"loader"`},
		{errors.New("load: boom"), 1, `"alert":"job_failed"`},
		{ErrHelp, 0, ""},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		code := Finish("loader", tc.err, slog.New(slog.NewJSONHandler(&buf, nil)))
		if code != tc.code {
			t.Errorf("Finish(%v) = %d; want %d", tc.err, code, tc.code)
		}
		if tc.line == "" && buf.Len() != 0 || !strings.Contains(buf.String(), tc.line) {
			t.Errorf("Finish(%v) logged %q; want %s", tc.err, buf.String(), tc.line)
		}
		if _, ok := PeakMemory(); ok && tc.line != "" && !strings.Contains(buf.String(), `"peak_memory_bytes":`) {
			t.Errorf("Finish(%v) logged %q; want the peak memory", tc.err, buf.String())
		}
	}
}

// TestPeakMemory: touching 64 MiB more than the process ever held raises
// its peak by about as much.
func TestPeakMemory(t *testing.T) {
	before, ok := PeakMemory()
	if !ok {
		t.Skip("the system does not say the peak memory")
	}
	const size = 64 << 20
	b := make([]byte, before+size)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	after, ok := PeakMemory()
	if !ok || after < before+size {
		t.Fatalf("peak %d bytes before touching %d, %d after (ok %v)", before, len(b), after, ok)
	}
	runtime.KeepAlive(b)
}

// TestTimeFlag: one rule, as in the scripts: a time with an offset is that
// instant; a date or a time without one is in KST.
func TestTimeFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2026-11-25", time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)},
		{"2026-11-25T09:00", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
		{"2026-11-25T09:00:30", time.Date(2026, 11, 25, 0, 0, 30, 0, time.UTC)},
		{"2026-11-25T09:00:00+09:00", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
		{"2026-11-25T00:00:00Z", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
	} {
		var f TimeFlag
		if err := f.Set(tc.in); err != nil || !f.T.Equal(tc.want) {
			t.Errorf("Set(%q) = %v, %v; want %v", tc.in, f.T, err, tc.want)
		}
	}
	var f TimeFlag
	if err := f.Set("25.11.2026"); err == nil || !strings.Contains(err.Error(), "KST") {
		t.Errorf("a time in another form: %v; want an error saying the forms, KST among them", err)
	}
}
