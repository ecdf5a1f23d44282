package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"

	"jobpulse/pkg/health"
	"jobpulse/pkg/source"
)

// jobConfig is a job's configuration: the common one (with the
// notifications), the health check's and settings of its own.
type jobConfig struct {
	Common
	Health health.Config
	Count  int     `env:"COUNT, default=1" help:"a count"`
	Rate   float64 `env:"RATE, default=0.5" help:"a rate"`
	Key    string  `env:"KEY, required" help:"the API key (a secret)"`
	Mode   string  `env:"MODE, default=fast" help:"fast or slow"`
}

// Validate refuses a mode it does not know.
func (c jobConfig) Validate() error {
	if c.Mode != "fast" && c.Mode != "slow" {
		return errors.New("MODE is " + c.Mode + "; want fast or slow")
	}
	return nil
}

func TestConfigValidatedAtStart(t *testing.T) {
	t.Parallel()
	good := map[string]string{"GOOGLE_CLOUD_PROJECT": "p", "LAKE_BUCKET": "b", "KEY": "SeCrEtKeY"}
	with := func(kv ...string) map[string]string {
		env := maps.Clone(good)
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "-" {
				delete(env, kv[i])
			} else {
				env[kv[i]] = kv[i+1]
			}
		}
		return env
	}
	tests := []struct {
		name string
		env  map[string]string
		want []string // the problems, in order; none: valid
	}{
		{name: "good", env: good},
		{name: "good, every setting given", env: with("HEALTH_MAX_AGE", "saramin=1h, cert=2h", "HEALTH_DAILY_QUOTA", "saramin=10",
			"SMTP_ADDR", "smtp.example.com:587", "SMTP_FROM", "a@example.com", "SMTP_TO", "b@example.com", "MODE", "slow")},
		{name: "missing required", env: with("KEY", "-", "LAKE_BUCKET", "-"), want: []string{
			"LAKE_BUCKET is required: Cloud Storage bucket of the lake",
			"KEY is required: the API key (a secret)",
		}},
		{name: "not a duration", env: with("HEALTH_LOOKBACK", "soon"), want: []string{
			`HEALTH_LOOKBACK: time: invalid duration "soon"; want a duration such as 90s, 20m or 3h`,
		}},
		{name: "not a number", env: with("COUNT", "many", "RATE", "fast"), want: []string{
			`COUNT: strconv.ParseInt: parsing "many": invalid syntax; want a whole number`,
			`RATE: strconv.ParseFloat: parsing "fast": invalid syntax; want a number such as 0.5`,
		}},
		{name: "bad map", env: with("HEALTH_MAX_AGE", "saramin"), want: []string{
			"HEALTH_MAX_AGE: saramin: invalid map item; want comma-separated key=value pairs, each value a duration such as 90s, 20m or 3h",
		}},
		{name: "bad map value", env: with("HEALTH_DAILY_QUOTA", "saramin=lots"), want: []string{
			`HEALTH_DAILY_QUOTA: lots: strconv.ParseInt: parsing "lots": invalid syntax; want comma-separated key=value pairs, each value a whole number`,
		}},
		{name: "out of range", env: with("HEALTH_MAX_AGE", "saramin=-1h", "SMTP_TLS", "ssl", "MODE", "slowest"), want: []string{
			"NOTIFY",
			"HEALTH_MAX_AGE: saramin=-1h0m0s; want a positive duration such as 3h",
			"MODE is slowest; want fast or slow",
		}},
		{name: "everything wrong at once", env: with("KEY", "-", "HEALTH_LOOKBACK", "soon", "COUNT", "many", "HEALTH_STUCK_AFTER", "-2h",
			"SLACK_WEBHOOK_URL", "ftp://hooks.example.com/SeCrEtHoOk", "SMTP_ADDR", "smtp.example.com", "SMTP_PASSWORD", "SeCrEtPaSs"), want: []string{
			"HEALTH_LOOKBACK: ", "COUNT: ", "KEY is required",
			"SLACK_WEBHOOK_URL is not an http(s) URL", `SMTP_ADDR "smtp.example.com" is not host:port`, "SMTP_FROM is required", "SMTP_TO is required", "SMTP_USERNAME is empty",
			"HEALTH_STUCK_AFTER is -2h0m0s",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cfg jobConfig
			err := Parse(context.Background(), Job{Name: "job", Config: &cfg, Flags: flag.NewFlagSet("job", flag.ContinueOnError)}, nil, envconfig.MapLookuper(tc.env), &bytes.Buffer{})
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("a good configuration refused: %v", err)
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v; want a *ConfigError", err)
			}
			if tc.want[0] == "NOTIFY" { // the notification settings come first, with Common
				tc.want[0] = `SMTP_TLS is "ssl"; want starttls, tls or none`
			}
			if len(ce.Problems) != len(tc.want) {
				t.Errorf("%d problems, want %d:\n%v", len(ce.Problems), len(tc.want), err)
			}
			for i, w := range tc.want {
				if i < len(ce.Problems) && !strings.HasPrefix(ce.Problems[i].Error(), w) {
					t.Errorf("problem %d = %q, want it to start %q", i, ce.Problems[i], w)
				}
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "job: ") || !strings.Contains(msg, "(see --help)") {
				t.Errorf("error %q does not name the job and --help", msg)
			}
			if strings.Contains(msg, "SeCrEt") {
				t.Errorf("error shows a secret:\n%s", msg)
			}
		})
	}
}

func TestConfigDecodedOnce(t *testing.T) {
	t.Parallel()
	var cfg jobConfig
	fs := flag.NewFlagSet("job", flag.ContinueOnError)
	fs.StringVar(&cfg.Mode, "mode", "", "overrides MODE")
	env := map[string]string{"GOOGLE_CLOUD_PROJECT": "p", "LAKE_BUCKET": "b", "KEY": "k", "MODE": "fast", "COUNT": "x", "HEALTH_DAILY_QUOTA": "saramin=7"}
	err := Parse(context.Background(), Job{Name: "job", Config: &cfg, Flags: fs}, []string{"--mode", "slow"}, envconfig.MapLookuper(env), &bytes.Buffer{})
	var ce *ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) != 1 {
		t.Fatalf("err = %v; want COUNT's problem alone", err)
	}
	// A flag wins over the environment; a variable that could not be
	// decoded takes its default; the rest is decoded into its type.
	if cfg.Mode != "slow" || cfg.Count != 1 || cfg.Key != "k" || cfg.Notify.Timeout != 10*time.Second {
		t.Errorf("decoded %+v", cfg)
	}
	if want := map[source.Source]time.Duration{source.Saramin: 3 * time.Hour, source.Trends: 30 * time.Hour, source.Cert: 192 * time.Hour}; !maps.Equal(cfg.Health.MaxAge, want) {
		t.Errorf("HEALTH_MAX_AGE = %v, want %v", cfg.Health.MaxAge, want)
	}
	if want := map[source.Source]int64{source.Saramin: 7}; !maps.Equal(cfg.Health.Quota, want) {
		t.Errorf("HEALTH_DAILY_QUOTA = %v, want %v", cfg.Health.Quota, want)
	}
}
