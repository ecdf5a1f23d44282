package source_test

import (
	"context"
	"flag"
	"io"
	"testing"

	"github.com/sethvargo/go-envconfig"

	"jobpulse/pkg/source"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name    string
		want    source.Source
		wantErr string
	}{
		{"saramin", source.Saramin, ""},
		{"trends", source.Trends, ""},
		{"cert", source.Cert, ""},
		{"Saramin", "", `unknown source "Saramin": want one of saramin, trends, cert`},
		{"", "", `unknown source "": want one of saramin, trends, cert`},
		{"qnet", "", `unknown source "qnet": want one of saramin, trends, cert`},
	} {
		got, err := source.Parse(tc.name)
		if got != tc.want || (err == nil) != (tc.wantErr == "") || (err != nil && err.Error() != tc.wantErr) {
			t.Errorf("Parse(%q) = %q, %v; want %q, %q", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestAll(t *testing.T) {
	all := source.All()
	if len(all) != 3 || all[0] != "saramin" || all[1] != "trends" || all[2] != "cert" {
		t.Fatalf("All() = %q", all)
	}
	all[0] = "changed"
	if source.All()[0] != source.Saramin {
		t.Fatal("All shares its slice")
	}
}

func TestFlag(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		want    source.Source
		wantErr bool
	}{
		{nil, "", false},
		{[]string{"--source", "trends"}, source.Trends, false},
		{[]string{"--source", "google"}, "", true},
	} {
		var s source.Source
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.Var(&s, "source", "")
		err := fs.Parse(tc.args)
		if s != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%q: %q, %v; want %q (error %t)", tc.args, s, err, tc.want, tc.wantErr)
		}
	}
}

func TestEnv(t *testing.T) {
	type config struct {
		Source source.Source         `env:"SOURCE, default=saramin"`
		Quota  map[source.Source]int `env:"QUOTA, separator=="`
	}
	for _, tc := range []struct {
		env     map[string]string
		want    config
		wantErr string
	}{
		{map[string]string{}, config{Source: source.Saramin}, ""},
		{map[string]string{"SOURCE": "cert", "QUOTA": "saramin=500,cert=1000"},
			config{Source: source.Cert, Quota: map[source.Source]int{source.Saramin: 500, source.Cert: 1000}}, ""},
		{map[string]string{"SOURCE": "qnet"}, config{}, `Source: unknown source "qnet": want one of saramin, trends, cert`},
		{map[string]string{"QUOTA": "saramin=500,sarmin=3"}, config{}, `Quota: sarmin: unknown source "sarmin": want one of saramin, trends, cert`},
	} {
		var got config
		err := envconfig.ProcessWith(context.Background(), &envconfig.Config{Target: &got, Lookuper: envconfig.MapLookuper(tc.env)})
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("%v: error %v, want %q", tc.env, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got.Source != tc.want.Source || len(got.Quota) != len(tc.want.Quota) {
			t.Fatalf("%v: %+v, %v; want %+v", tc.env, got, err, tc.want)
		}
		for k, v := range tc.want.Quota {
			if got.Quota[k] != v {
				t.Errorf("%v: quota %s = %d, want %d", tc.env, k, got.Quota[k], v)
			}
		}
	}
}
