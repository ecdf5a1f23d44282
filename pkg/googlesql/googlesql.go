// Package googlesql runs GoogleSQL's reference implementation (ZetaSQL's
// local service, the analyzer of BigQuery's dialect) on loopback and asks
// it to parse scripts and to analyze statements against a catalog of
// tables, so that the BigQuery warehouse's SQL is judged by the dialect's
// own parser and resolver rather than by our reading of its manual.
//
// The server is the executable remote_server.so that the npm package
// @fivetrandevelopers/zetasql ships (scripts/googlesql.sh installs it and
// prints its directory); its protos are compiled when the server starts
// (github.com/bufbuild/protocompile), and requests and answers travel as
// dynamic messages built from their JSON form, so no generated code is
// kept here.
package googlesql

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bufbuild/protocompile"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"
)

// service is the gRPC service's full name.
const service = "zetasql.local_service.ZetaSqlLocalService"

// Server is a running GoogleSQL analyzer.
type Server struct {
	cmd   *exec.Cmd
	conn  *grpc.ClientConn
	files interface {
		FindDescriptorByName(protoreflect.FullName) (protoreflect.Descriptor, error)
	}
	language map[string]any // LanguageOptionsProto, BigQuery's features
	done     chan struct{}  // closed when the process has exited
	stderr   *tailBuffer
	once     sync.Once
}

// Start starts the analyzer found in dir (remote_server.so and protos/, as
// scripts/googlesql.sh leaves them) on a free loopback port and connects
// to it. Close stops it.
func Start(ctx context.Context, dir string) (*Server, error) {
	bin := filepath.Join(dir, "remote_server.so")
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("googlesql: the analyzer is not installed in %s (scripts/googlesql.sh installs it): %w", dir, err)
	}
	comp := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
		ImportPaths: []string{filepath.Join(dir, "protos")},
	})}
	compiled, err := comp.Compile(ctx, "local_service.proto")
	if err != nil {
		return nil, fmt.Errorf("googlesql: compile the service's protos: %w", err)
	}
	// The messages live in the service's file and the files it imports.
	files := new(protoregistry.Files)
	var register func(protoreflect.FileDescriptor) error
	register = func(f protoreflect.FileDescriptor) error {
		if _, err := files.FindFileByPath(f.Path()); err == nil {
			return nil
		}
		imports := f.Imports()
		for i := range imports.Len() {
			if err := register(imports.Get(i).FileDescriptor); err != nil {
				return err
			}
		}
		return files.RegisterFile(f)
	}
	for _, f := range compiled {
		if err := register(f); err != nil {
			return nil, fmt.Errorf("googlesql: register the service's protos: %w", err)
		}
	}
	var lastErr error
	for range 3 { // another process may take the port between look-up and listen
		s, err := start(ctx, bin)
		if err == nil {
			s.files = files
			if err := s.setLanguage(ctx); err != nil {
				s.Close()
				return nil, err
			}
			return s, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func start(ctx context.Context, bin string) (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("googlesql: free port: %w", err)
	}
	port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
	l.Close()

	cmd := exec.Command(bin, "127.0.0.1", port)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("googlesql: %w", err)
	}
	s := &Server{cmd: cmd, done: make(chan struct{}), stderr: &tailBuffer{}}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("googlesql: start %s: %w", bin, err)
	}
	// The server says when it listens; until then a call would fail.
	ready := make(chan bool, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		said := false
		for lines.Scan() {
			if !said && strings.Contains(lines.Text(), "Server listening on") {
				said = true
				ready <- true
			}
		}
		if !said {
			ready <- false
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	select {
	case ok := <-ready:
		if !ok {
			<-s.done
			return nil, fmt.Errorf("googlesql: the analyzer exited before listening on port %s: %s", port, s.stderr.String())
		}
	case <-ctx.Done():
		s.Close()
		return nil, fmt.Errorf("googlesql: waiting for the analyzer to listen: %w", ctx.Err())
	}
	s.conn, err = grpc.NewClient("127.0.0.1:"+port, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64<<20)))
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("googlesql: connect: %w", err)
	}
	return s, nil
}

// Close stops the analyzer.
func (s *Server) Close() {
	s.once.Do(func() {
		if s.conn != nil {
			_ = s.conn.Close()
		}
		_ = s.cmd.Process.Kill()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
		}
	})
}

// call sends the request (its JSON form, proto field names) to method and
// returns the answer in the same form.
func (s *Server) call(ctx context.Context, method, reqType, respType string, req any) (map[string]any, error) {
	in, err := s.message(reqType)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("googlesql: %s: %w", method, err)
	}
	if err := protojson.Unmarshal(b, in); err != nil {
		return nil, fmt.Errorf("googlesql: %s: request: %w", method, err)
	}
	out, err := s.message(respType)
	if err != nil {
		return nil, err
	}
	if err := s.conn.Invoke(ctx, "/"+service+"/"+method, in, out); err != nil {
		select {
		case <-s.done:
			return nil, fmt.Errorf("googlesql: the analyzer has exited: %s", s.stderr.String())
		default:
		}
		return nil, err
	}
	b, err = protojson.MarshalOptions{UseProtoNames: true}.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("googlesql: %s: answer: %w", method, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("googlesql: %s: answer: %w", method, err)
	}
	return m, nil
}

func (s *Server) message(name string) (*dynamicpb.Message, error) {
	d, err := s.files.FindDescriptorByName(protoreflect.FullName(name))
	if err != nil {
		return nil, fmt.Errorf("googlesql: message %s: %w", name, err)
	}
	md, ok := d.(protoreflect.MessageDescriptor)
	if !ok {
		return nil, fmt.Errorf("googlesql: %s is not a message", name)
	}
	return dynamicpb.NewMessage(md), nil
}

// setLanguage asks the server for every language feature it has and keeps
// those of BigQuery's dialect: all but Spanner's DDL (which makes the
// resolver refuse every other statement) and the features kept for
// GoogleSQL's own tests.
func (s *Server) setLanguage(ctx context.Context) error {
	m, err := s.call(ctx, "GetLanguageOptions", "zetasql.local_service.LanguageOptionsRequest", "zetasql.LanguageOptionsProto",
		map[string]any{"maximum_features": true})
	if err != nil {
		return fmt.Errorf("googlesql: language options: %w", err)
	}
	all, _ := m["enabled_language_features"].([]any)
	var features []any
	for _, f := range all {
		name, _ := f.(string)
		if strings.Contains(name, "SPANNER") || strings.Contains(name, "_TEST_") {
			continue
		}
		features = append(features, name)
	}
	s.language = map[string]any{
		"product_mode":              "PRODUCT_EXTERNAL",
		"name_resolution_mode":      "NAME_RESOLUTION_DEFAULT",
		"enabled_language_features": features,
		"supported_statement_kinds": []any{
			"RESOLVED_QUERY_STMT", "RESOLVED_INSERT_STMT", "RESOLVED_UPDATE_STMT", "RESOLVED_DELETE_STMT",
			"RESOLVED_MERGE_STMT", "RESOLVED_TRUNCATE_STMT", "RESOLVED_CREATE_TABLE_STMT",
			"RESOLVED_CREATE_TABLE_AS_SELECT_STMT", "RESOLVED_CREATE_SCHEMA_STMT", "RESOLVED_CREATE_VIEW_STMT",
			"RESOLVED_DROP_STMT", "RESOLVED_ALTER_TABLE_STMT", "RESOLVED_BEGIN_STMT", "RESOLVED_COMMIT_STMT",
			"RESOLVED_ROLLBACK_STMT", "RESOLVED_ASSERT_STMT", "RESOLVED_EXPORT_DATA_STMT",
		},
	}
	return nil
}

// Column is one column of a catalog table, or of a query's result.
type Column struct {
	Name string
	Type string // as written in GoogleSQL: INT64, ARRAY<STRING>, STRUCT<a INT64>
}

// Table is one table of the catalog, named as the SQL names it (e.g.
// "core.recruit" for `core.recruit`).
type Table struct {
	Name    string
	Columns []Column
}

// Result is what the analyzer resolved a statement to.
type Result struct {
	// Kind is the resolved statement's kind, e.g. "resolved_merge_stmt_node".
	Kind string
	// Columns are a query's output columns, or the columns a CREATE TABLE
	// AS SELECT makes.
	Columns []Column
}

// Error is GoogleSQL's verdict on a statement.
type Error struct {
	Message string // GoogleSQL's own words, with the position [at line:column]
}

func (e *Error) Error() string { return e.Message }

// Analyze parses and resolves one statement against tables, with params
// (name to GoogleSQL type) declared as named query parameters. A statement
// GoogleSQL rejects returns an *Error.
func (s *Server) Analyze(ctx context.Context, sql string, tables []Table, params map[string]string) (Result, error) {
	catalog, err := catalogProto(tables, s.language)
	if err != nil {
		return Result{}, err
	}
	return s.analyze(ctx, sql, map[string]any{"simple_catalog": catalog}, params)
}

// register sends tables to the server once and returns the catalog's id,
// for the statements analyzed against the same tables (a script's).
func (s *Server) register(ctx context.Context, tables []Table) (int64, error) {
	catalog, err := catalogProto(tables, s.language)
	if err != nil {
		return 0, err
	}
	m, err := s.call(ctx, "RegisterCatalog", "zetasql.local_service.RegisterCatalogRequest", "zetasql.local_service.RegisterResponse",
		map[string]any{"simple_catalog": catalog})
	if err != nil {
		return 0, fmt.Errorf("googlesql: register the catalog: %w", err)
	}
	id, err := strconv.ParseInt(fmt.Sprint(m["registered_id"]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("googlesql: register the catalog: id %v", m["registered_id"])
	}
	return id, nil
}

// unregister lets the server forget a registered catalog.
func (s *Server) unregister(ctx context.Context, id int64) {
	_, _ = s.call(ctx, "UnregisterCatalog", "zetasql.local_service.UnregisterRequest", "google.protobuf.Empty",
		map[string]any{"registered_id": id})
}

// analyze sends one statement with the catalog given in catalog (the
// tables themselves, or a registered catalog's id).
func (s *Server) analyze(ctx context.Context, sql string, catalog map[string]any, params map[string]string) (Result, error) {
	var qp []any
	for name, typ := range params {
		tp, err := typeProto(typ)
		if err != nil {
			return Result{}, fmt.Errorf("googlesql: parameter @%s: %w", name, err)
		}
		qp = append(qp, map[string]any{"name": name, "type": tp})
	}
	req := map[string]any{
		"sql_statement": sql,
		"options": map[string]any{
			"language_options":   s.language,
			"query_parameters":   qp,
			"parameter_mode":     "PARAMETER_NAMED",
			"error_message_mode": "ERROR_MESSAGE_ONE_LINE",
			"default_timezone":   "UTC",
			"system_variables":   systemVariables,
		},
	}
	maps.Copy(req, catalog)
	m, err := s.call(ctx, "Analyze", "zetasql.local_service.AnalyzeRequest", "zetasql.local_service.AnalyzeResponse", req)
	if err != nil {
		return Result{}, verdict(err)
	}
	return result(m), nil
}

// systemVariables are BigQuery's @@ variables a script's statements may
// read (an exception handler's @@error among them).
var systemVariables = func() []any {
	var out []any
	for _, v := range []struct{ path, kind string }{
		{"error.message", "TYPE_STRING"}, {"error.statement_text", "TYPE_STRING"},
		{"error.formatted_stack_trace", "TYPE_STRING"}, {"time_zone", "TYPE_STRING"}, {"project_id", "TYPE_STRING"},
		{"current_job_id", "TYPE_STRING"}, {"row_count", "TYPE_INT64"}, {"script.job_id", "TYPE_STRING"},
	} {
		var path []any
		for _, p := range strings.Split(v.path, ".") {
			path = append(path, p)
		}
		out = append(out, map[string]any{"name_path": path, "type": map[string]any{"type_kind": v.kind}})
	}
	return out
}()

// ParseScript parses sql as a BigQuery script (DECLARE, SET, IF, BEGIN …
// EXCEPTION … END, transactions and the statements in them), which
// Analyze does not accept. A script GoogleSQL rejects returns an *Error.
func (s *Server) ParseScript(ctx context.Context, sql string) error {
	_, err := s.call(ctx, "Parse", "zetasql.local_service.ParseRequest", "zetasql.local_service.ParseResponse",
		map[string]any{"sql_statement": sql, "allow_script": true, "options": s.language})
	if err != nil {
		return verdict(err)
	}
	return nil
}

// verdict turns the server's refusal of a statement (INVALID_ARGUMENT with
// GoogleSQL's message) into an *Error; other failures stay as they are.
func verdict(err error) error {
	st, ok := status.FromError(err)
	if !ok || st.Code().String() != "InvalidArgument" {
		return fmt.Errorf("googlesql: %w", err)
	}
	return &Error{Message: st.Message()}
}

// IsVerdict reports whether err is GoogleSQL's refusal of the SQL, as
// opposed to a failure to ask.
func IsVerdict(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

func catalogProto(tables []Table, language map[string]any) (map[string]any, error) {
	var ts []any
	for _, t := range tables {
		var cols []any
		for _, c := range t.Columns {
			tp, err := typeProto(c.Type)
			if err != nil {
				return nil, fmt.Errorf("googlesql: table %s column %s: %w", t.Name, c.Name, err)
			}
			cols = append(cols, map[string]any{"name": c.Name, "type": tp})
		}
		ts = append(ts, map[string]any{"name": t.Name, "column": cols})
	}
	return map[string]any{
		"name":                     "jobpulse",
		"table":                    ts,
		"builtin_function_options": map[string]any{"language_options": language},
	}, nil
}

// result reads the resolved statement's kind and output columns. The
// answer nests a statement in its kinds (resolved_create_statement_node,
// then resolved_create_table_stmt_base_node, then the statement itself),
// and keeps the fields of each base kind under "parent".
func result(m map[string]any) Result {
	var r Result
	node, _ := m["resolved_statement"].(map[string]any)
	for len(node) == 1 {
		var next map[string]any
		for k, v := range node {
			if strings.HasPrefix(k, "resolved_") {
				r.Kind = k
				next, _ = v.(map[string]any)
			}
		}
		if next == nil {
			break
		}
		node = next
	}
	for n := node; n != nil; n, _ = n["parent"].(map[string]any) {
		if defs, ok := n["column_definition_list"].([]any); ok {
			r.Columns = r.Columns[:0]
			for _, d := range defs {
				dm, _ := d.(map[string]any)
				name, _ := dm["name"].(string)
				t, _ := dm["type"].(map[string]any)
				r.Columns = append(r.Columns, Column{Name: name, Type: typeName(t)})
			}
			return r
		}
	}
	outs, _ := node["output_column_list"].([]any)
	for _, o := range outs {
		om, _ := o.(map[string]any)
		name, _ := om["name"].(string)
		col, _ := om["column"].(map[string]any)
		t, _ := col["type"].(map[string]any)
		r.Columns = append(r.Columns, Column{Name: name, Type: typeName(t)})
	}
	return r
}

// tailBuffer keeps the last few KiB written to it (the server's stderr).
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > 4096 {
		b.buf = b.buf[len(b.buf)-4096:]
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(string(b.buf))
}
