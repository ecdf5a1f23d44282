package cli

import (
	"context"
	"encoding"
	"errors"
	"fmt"
	"go/token"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/sethvargo/go-envconfig"
)

// Validator is a configuration struct that checks its own settings once
// they are decoded. Validate returns nil, or one error per wrong variable
// (errors.Join), each naming the variable and saying what it wants, never
// quoting a secret. Parse calls it on the job's configuration and on every
// struct in it, embedded or not.
type Validator interface {
	Validate() error
}

// ConfigError is every problem of a job's configuration, found at its
// start: variables that could not be decoded and settings their
// configuration's Validate refused.
type ConfigError struct {
	Job      string
	Problems []error
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s wrong in the configuration (see --help):", e.Job, count(len(e.Problems), "setting"))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(strings.ReplaceAll(p.Error(), "\n", "\n  "))
	}
	return b.String()
}

// Unwrap returns the problems.
func (e *ConfigError) Unwrap() []error { return e.Problems }

func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing + " is"
	}
	return fmt.Sprintf("%d %ss are", n, thing)
}

// configure decodes the environment into cfg, a pointer to a struct, and
// validates it: the error lists every variable that is wrong, not only the
// first. go-envconfig stops at the first value it cannot decode; the
// lookup it was reading then is the variable at fault, so that one is
// noted and the decoding starts again without it (its default applies),
// until nothing more fails. Fields already set (by a flag) are left as
// they are, as go-envconfig does.
func configure(ctx context.Context, cfg any, lookup envconfig.Lookuper) []error {
	vars := map[string]EnvVar{}
	for _, v := range EnvVars(cfg) {
		vars[v.Name] = v
	}
	l := &skipping{Lookuper: lookup, skip: map[string]bool{}}
	var problems []error
	for {
		l.last = ""
		err := envconfig.ProcessWith(ctx, &envconfig.Config{Target: cfg, Lookuper: l})
		if err == nil {
			break
		}
		if l.last == "" || l.skip[l.last] || mistake(err) {
			// Not a value's fault: a mistake in the struct's tags, or
			// a default that does not decode.
			problems = append(problems, err)
			break
		}
		l.skip[l.last] = true
		problems = append(problems, undecodable(vars[l.last], l.lastFound, err))
	}
	for _, p := range validate(reflect.ValueOf(cfg)) {
		if !slices.ContainsFunc(problems, func(q error) bool { return q.Error() == p.Error() }) {
			problems = append(problems, p)
		}
	}
	return problems
}

// mistake reports whether err is go-envconfig refusing a struct's tags
// rather than a variable's value.
func mistake(err error) bool {
	for _, m := range []error{envconfig.ErrRequiredAndDefault, envconfig.ErrUnknownOption, envconfig.ErrPrivateField,
		envconfig.ErrNoInitNotPtr, envconfig.ErrPrefixNotStruct, envconfig.ErrMissingKey} {
		if errors.Is(err, m) {
			return true
		}
	}
	return false
}

// skipping is a Lookuper that records the last variable looked up, and
// hides those that could not be decoded: unset, their default applies; a
// required one missing reads as empty, so it is reported once.
type skipping struct {
	envconfig.Lookuper
	skip      map[string]bool
	last      string
	lastFound bool
}

func (l *skipping) Lookup(key string) (string, bool) {
	v, found := l.Lookuper.Lookup(key)
	l.last, l.lastFound = key, found
	if l.skip[key] {
		return "", !found
	}
	return v, found
}

// undecodable says what is wrong with v's value and what it wants.
func undecodable(v EnvVar, found bool, err error) error {
	if !found && v.Required {
		return fmt.Errorf("%s is required: %s", v.Name, v.Help)
	}
	cause := withoutFields(err)
	if v.want == "" {
		return fmt.Errorf("%s: %v", v.Name, cause)
	}
	return fmt.Errorf("%s: %v; want %s", v.Name, cause, v.want)
}

// withoutFields drops the Go field names go-envconfig puts before a
// decoding error ("Health: MaxAge: "), which mean nothing to an operator.
func withoutFields(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		field, ok := strings.CutSuffix(err.Error(), ": "+next.Error())
		if !ok || !token.IsIdentifier(field) || !token.IsExported(field) {
			return err
		}
		err = next
	}
}

// want describes the values of t a variable takes.
func want(t reflect.Type, tag string) string {
	switch {
	case t == reflect.TypeFor[time.Duration]():
		return "a duration such as 90s, 20m or 3h"
	case slices.ContainsFunc([]reflect.Type{reflect.TypeFor[envconfig.Decoder](), reflect.TypeFor[envconfig.DecoderCtx](), reflect.TypeFor[encoding.TextUnmarshaler]()},
		reflect.PointerTo(t).Implements):
		return "" // its decoder says
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number, 0 or more"
	case reflect.Float32, reflect.Float64:
		return "a number such as 0.5"
	case reflect.Map:
		sep := ":"
		for o := range strings.SplitSeq(tag, ",") {
			if s, ok := strings.CutPrefix(strings.TrimSpace(o), "separator="); ok {
				sep = s
			}
		}
		w := "comma-separated key" + sep + "value pairs"
		if e := want(t.Elem(), ""); e != "" {
			w += ", each value " + e
		}
		return w
	case reflect.Slice:
		w := "a comma-separated list"
		if e := want(t.Elem(), ""); e != "" {
			w += ", each " + e
		}
		return w
	}
	return ""
}

// validate calls Validate on v and on every struct within it, returning
// the problems one by one. An embedded struct's Validate is also the outer
// struct's, unless that declares its own: Parse drops a problem told twice.
func validate(v reflect.Value) []error {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	var problems []error
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.IsExported() {
			problems = append(problems, validate(v.Field(i))...)
		}
	}
	if val, ok := v.Addr().Interface().(Validator); ok {
		if err := val.Validate(); err != nil {
			problems = append(problems, split(err)...)
		}
	}
	return problems
}

// split undoes errors.Join.
func split(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
