package logging

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
)

// Config is the logging every job and the dashboard read from their
// environment.
type Config struct {
	LogLevel  string `env:"LOG_LEVEL, default=info" help:"debug, info, warn or error"`
	LogFormat string `env:"LOG_FORMAT, default=auto" help:"auto (JSON in Cloud Run, text elsewhere), text or json"`
}

// Logger builds the logger the configuration asks for, writing to w;
// project is the GCP project that trace fields name ("" for none).
func (c Config) Logger(w io.Writer, project string) *slog.Logger {
	return New(w, Options{Format: Format(c.LogFormat), Level: ParseLevel(c.LogLevel), Project: project})
}

// Validate reports a level or format the logger does not know, which it
// would otherwise take for info and auto (empty is info and auto).
func (c Config) Validate() error {
	var errs []error
	if _, ok := level(c.LogLevel); !ok {
		errs = append(errs, fmt.Errorf("LOG_LEVEL is %q; want debug, info, warn or error", c.LogLevel))
	}
	switch Format(c.LogFormat) {
	case "", FormatAuto, FormatText, FormatJSON:
	default:
		errs = append(errs, fmt.Errorf("LOG_FORMAT is %q; want auto, text or json", c.LogFormat))
	}
	return errors.Join(errs...)
}
