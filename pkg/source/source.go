// Package source names the sources jobpulse extracts: Saramin job postings,
// Google Trends search interest and Q-Net certification statistics. A
// Source is the name a source has in the lake's object names, on the bus,
// in the run records, in the warehouse's load logs and in --source; every
// job takes its sources from here, so a name is spelled once.
//
// A name read from the environment (go-envconfig) or a flag is checked when
// the job starts, and an unknown one fails with the valid names. JSON does
// not check: a message naming a source this version does not know still
// decodes, and the job that cannot handle it fails and leaves it queued for
// a newer version rather than setting it aside as undecodable.
package source

import (
	"context"
	"fmt"
	"strings"
)

// Source is the name of a source.
type Source string

// The sources, in the order All lists them.
const (
	Saramin Source = "saramin" // job postings, hourly
	Trends  Source = "trends"  // Google Trends interest, daily
	Cert    Source = "cert"    // certification statistics, weekly
)

// All returns every source, in order.
func All() []Source { return []Source{Saramin, Trends, Cert} }

// Parse returns the source called name, or Unknown's error.
func Parse(name string) (Source, error) {
	for _, s := range All() {
		if string(s) == name {
			return s, nil
		}
	}
	return "", Unknown(Source(name))
}

// Unknown is the error for a source this version does not know (or a
// step does not handle): it names the valid ones.
func Unknown(s Source) error {
	return fmt.Errorf("unknown source %q: want one of %s", s, Names())
}

// Names lists the sources' names, comma-separated, in order.
func Names() string {
	names := make([]string, 0, len(All()))
	for _, s := range All() {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
}

// String returns the source's name.
func (s Source) String() string { return string(s) }

// Set sets s to the source called name: a Source is a flag.Value.
func (s *Source) Set(name string) error {
	v, err := Parse(name)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// EnvDecode sets s to the source called val: go-envconfig decodes a
// Source, or a map keyed by sources, with it.
func (s *Source) EnvDecode(_ context.Context, val string) error { return s.Set(val) }
