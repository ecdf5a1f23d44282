package googlesql

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
)

// Report says what Check did with a script's statements.
type Report struct {
	// Analyzed counts the statements (and DECLARE defaults, SET values and
	// IF conditions) resolved against the catalog.
	Analyzed int
	// Parsed lists the statements only parsed, each with the reason.
	Parsed []string
}

// Check judges sql, a single statement or a BigQuery script: the whole is
// parsed as a script first (DECLARE, SET, IF … END IF, BEGIN … EXCEPTION …
// END, transactions), then every statement in it is analyzed against
// tables with params (name to type) declared as query parameters, and the
// script's variables as parameters of their declared types (the SQL names
// them bare; they are rewritten to @name for the analyzer, which has no
// script scope). A DECLARE's default and a SET's value are checked
// against the variable's type, an IF's condition must be a BOOL, and a
// temporary table the script creates joins the catalog for the statements
// after it. The first statement GoogleSQL rejects ends the check with an
// error quoting the statement's start and GoogleSQL's message (an *Error
// inside).
func (s *Server) Check(ctx context.Context, sql string, tables []Table, params map[string]string) (Report, error) {
	var rep Report
	if err := s.ParseScript(ctx, sql); err != nil {
		return rep, fmt.Errorf("script: %w", err)
	}
	toks, err := lex(sql)
	if err != nil {
		return rep, err
	}
	w := &walker{s: s, sql: sql, toks: toks, tables: append([]Table(nil), tables...),
		params: maps.Clone(params), vars: map[string]string{}, rep: &rep}
	if w.params == nil {
		w.params = map[string]string{}
	}
	defer w.forget(ctx)
	i, err := w.block(ctx, 0)
	if err == nil && i < len(toks) {
		err = fmt.Errorf("unexpected %q", toks[i].text)
	}
	return rep, err
}

// walker goes through a script's statements in order.
type walker struct {
	s      *Server
	sql    string
	toks   []token
	tables []Table
	params map[string]string
	vars   map[string]string // declared variables, lower-cased, to their types
	rep    *Report
	// catalog is the id of tables registered with the server, 0 until
	// the first statement or after a temp table joined them.
	catalog int64
}

// analyze resolves one statement against the script's tables (registered
// with the server once, and again after a temp table joins them) and
// parameters.
func (w *walker) analyze(ctx context.Context, sql string) (Result, error) {
	if w.catalog == 0 {
		id, err := w.s.register(ctx, w.tables)
		if err != nil {
			return Result{}, err
		}
		w.catalog = id
	}
	return w.s.analyze(ctx, sql, map[string]any{"registered_catalog_id": w.catalog}, w.allParams())
}

// forget unregisters the script's catalog.
func (w *walker) forget(ctx context.Context) {
	if w.catalog != 0 {
		w.s.unregister(context.WithoutCancel(ctx), w.catalog)
		w.catalog = 0
	}
}

// block walks statements from i until a statement starts with one of
// stops (or the script ends) and returns where it stopped.
func (w *walker) block(ctx context.Context, i int, stops ...string) (int, error) {
	for i < len(w.toks) {
		if w.toks[i].is(";") {
			i++
			continue
		}
		kw := w.toks[i].keyword()
		for _, s := range stops {
			if kw == s {
				return i, nil
			}
		}
		var err error
		switch {
		case kw == "IF":
			i, err = w.ifStmt(ctx, i)
		case kw == "BEGIN" && !w.at(i+1, "TRANSACTION"):
			i, err = w.beginStmt(ctx, i)
		case kw == "LOOP" || kw == "WHILE" || kw == "REPEAT" || kw == "FOR":
			return i, fmt.Errorf("%s loops are not walked (none is expected in the warehouse's scripts)", kw)
		default:
			j := w.end(i)
			err = w.simple(ctx, i, j)
			i = j
		}
		if err != nil {
			return i, err
		}
	}
	return i, nil
}

// ifStmt walks IF cond THEN … [ELSEIF cond THEN …] [ELSE …] END IF.
func (w *walker) ifStmt(ctx context.Context, i int) (int, error) {
	for {
		then := w.find(i+1, "THEN")
		if then < 0 {
			return i, fmt.Errorf("IF without THEN at %s", w.where(i))
		}
		if err := w.condition(ctx, i+1, then); err != nil {
			return i, err
		}
		var err error
		if i, err = w.block(ctx, then+1, "ELSEIF", "ELSE", "END"); err != nil {
			return i, err
		}
		if i >= len(w.toks) {
			return i, errors.New("IF without END IF")
		}
		switch w.toks[i].keyword() {
		case "ELSEIF":
			continue
		case "ELSE":
			if i, err = w.block(ctx, i+1, "END"); err != nil {
				return i, err
			}
		}
		if !w.at(i, "END") || !w.at(i+1, "IF") {
			return i, fmt.Errorf("IF without END IF at %s", w.where(i))
		}
		return i + 2, nil
	}
}

// beginStmt walks BEGIN … [EXCEPTION WHEN ERROR THEN …] END.
func (w *walker) beginStmt(ctx context.Context, i int) (int, error) {
	i, err := w.block(ctx, i+1, "EXCEPTION", "END")
	if err != nil {
		return i, err
	}
	if w.at(i, "EXCEPTION") {
		if !w.at(i+1, "WHEN") || !w.at(i+2, "ERROR") || !w.at(i+3, "THEN") {
			return i, fmt.Errorf("EXCEPTION without WHEN ERROR THEN at %s", w.where(i))
		}
		if i, err = w.block(ctx, i+4, "END"); err != nil {
			return i, err
		}
	}
	if !w.at(i, "END") {
		return i, fmt.Errorf("BEGIN without END at %s", w.where(i))
	}
	return i + 1, nil
}

// simple judges one statement, toks[i:j].
func (w *walker) simple(ctx context.Context, i, j int) error {
	switch kw := w.toks[i].keyword(); {
	case kw == "DECLARE":
		return w.declare(ctx, i, j)
	case kw == "SET" && w.toks[i+1].is("("):
		return w.setTuple(ctx, i, j)
	case kw == "SET":
		// SET name = value.
		if j-i < 4 || !w.toks[i+2].is("=") {
			return fmt.Errorf("SET not of the form SET name = value at %s", w.where(i))
		}
		name := strings.ToLower(w.toks[i+1].text)
		typ, ok := w.vars[name]
		if !ok {
			return fmt.Errorf("SET %s: no such variable declared at %s", w.toks[i+1].text, w.where(i))
		}
		return w.assign(ctx, "SET "+w.toks[i+1].text, typ, i+3, j)
	case kw == "RAISE":
		// RAISE [USING MESSAGE = value]: the message must be a STRING.
		if m := w.find(i, "MESSAGE"); m > 0 && m+2 < j && w.toks[m+1].is("=") {
			return w.assign(ctx, "RAISE USING MESSAGE", "STRING", m+2, j)
		}
		w.rep.Parsed = append(w.rep.Parsed, w.first(i, j)+" (RAISE without a message: parsed with the script)")
		return nil
	case kw == "CALL" || kw == "RETURN" || kw == "BREAK" || kw == "LEAVE" || kw == "CONTINUE" || kw == "ITERATE" || kw == "EXECUTE":
		w.rep.Parsed = append(w.rep.Parsed, w.first(i, j)+" ("+kw+" is a script statement: parsed with the script)")
		return nil
	}
	text, err := w.rewrite(i, j)
	if err != nil {
		return err
	}
	r, err := w.analyze(ctx, text)
	if err != nil {
		return w.fail(i, j, err)
	}
	w.rep.Analyzed++
	if r.Kind == "resolved_create_table_as_select_stmt_node" || r.Kind == "resolved_create_table_stmt_node" {
		if name := w.created(i, j); name != "" {
			w.tables = append(w.tables, Table{Name: name, Columns: r.Columns})
			w.forget(ctx) // registered again with the new table
		}
	}
	return nil
}

// declare judges DECLARE a[, b] TYPE [DEFAULT value].
func (w *walker) declare(ctx context.Context, i, j int) error {
	k := i + 1
	var names []string
	for k < j {
		names = append(names, strings.ToLower(w.toks[k].text))
		if k+1 < j && w.toks[k+1].is(",") {
			k += 2
			continue
		}
		k++
		break
	}
	def := w.find(k, "DEFAULT")
	if def < 0 || def > j {
		def = j
	}
	if k >= def {
		return fmt.Errorf("DECLARE without a type at %s (the analyzer needs one)", w.where(i))
	}
	typ := w.sql[w.toks[k].pos:w.toks[def-1].end]
	if _, err := typeProto(typ); err != nil {
		return fmt.Errorf("DECLARE at %s: %w", w.where(i), err)
	}
	for _, n := range names {
		// The analyzer has no script scope, so variables become
		// parameters by name; in BigQuery a column of the same name
		// would win over the variable. Either way the SQL says what it
		// does not mean: such a name is refused.
		if owner := w.field(n); owner != "" {
			return fmt.Errorf("DECLARE %s at %s: variable %s has a field of that name, which BigQuery would read instead of the variable where it is unnested: name the variable apart", n, w.where(i), owner)
		}
		w.vars[n] = typ
	}
	if def < j {
		return w.assign(ctx, "DECLARE "+strings.Join(names, ", ")+" DEFAULT", typ, def+1, j)
	}
	return nil
}

// assign checks that the value toks[i:j] can be given to a variable of
// type typ: it resolves, and its type is typ or one GoogleSQL coerces to
// typ (a literal, NULL, an empty array), as a UNION ALL with a typed NULL
// shows.
func (w *walker) assign(ctx context.Context, what, typ string, i, j int) error {
	value, err := w.rewrite(i, j)
	if err != nil {
		return err
	}
	r, err := w.analyze(ctx, "SELECT ("+value+")")
	if err != nil {
		return w.fail(i, j, fmt.Errorf("%s: %w", what, err))
	}
	w.rep.Analyzed++
	if len(r.Columns) == 1 && r.Columns[0].Type == canonical(typ) {
		return nil
	}
	u, err := w.analyze(ctx, "SELECT CAST(NULL AS "+typ+") UNION ALL SELECT ("+value+")")
	if err == nil && len(u.Columns) == 1 && u.Columns[0].Type == canonical(typ) {
		return nil
	}
	got := "?"
	if len(r.Columns) == 1 {
		got = r.Columns[0].Type
	}
	return w.fail(i, j, fmt.Errorf("%s: a value of type %s cannot be assigned to a variable of type %s", what, got, typ))
}

// setTuple judges SET (a, b, …) = value: the value is a STRUCT whose
// fields are assigned in order, so it must be assignable to a STRUCT of
// the variables' types.
func (w *walker) setTuple(ctx context.Context, i, j int) error {
	var names, types []string
	k := i + 2
	for ; k < j && !w.toks[k].is(")"); k++ {
		if w.toks[k].is(",") {
			continue
		}
		name := strings.ToLower(w.toks[k].text)
		typ, ok := w.vars[name]
		if !ok {
			return fmt.Errorf("SET %s: no such variable declared at %s", w.toks[k].text, w.where(i))
		}
		names, types = append(names, name), append(types, typ)
	}
	if k+2 >= j || !w.toks[k+1].is("=") || len(names) == 0 {
		return fmt.Errorf("SET not of the form SET (a, b) = value at %s", w.where(i))
	}
	return w.assign(ctx, "SET ("+strings.Join(names, ", ")+")", "STRUCT<"+strings.Join(types, ", ")+">", k+2, j)
}

// condition checks an IF's condition, toks[i:j]: it resolves to a BOOL.
func (w *walker) condition(ctx context.Context, i, j int) error {
	cond, err := w.rewrite(i, j)
	if err != nil {
		return err
	}
	r, err := w.analyze(ctx, "SELECT ("+cond+")")
	if err != nil {
		return w.fail(i, j, fmt.Errorf("IF condition: %w", err))
	}
	w.rep.Analyzed++
	if len(r.Columns) != 1 || r.Columns[0].Type != "BOOL" {
		return w.fail(i, j, fmt.Errorf("IF condition of type %v, not BOOL", r.Columns))
	}
	return nil
}

// rewrite returns the source of toks[i:j] with the script's variables
// written as query parameters (@name). A name after a dot, before a dot or
// a parenthesis, or after AS is a column, function or alias, not a
// variable.
//
// A variable named as a column of a table the statement reads is an
// error: BigQuery would read the column, the analyzer the variable.
func (w *walker) rewrite(i, j int) (string, error) {
	refs := w.referenced(i, j)
	var b strings.Builder
	last := w.toks[i].pos
	for k := i; k < j; k++ {
		t := w.toks[k]
		if t.kind != identTok {
			continue
		}
		if _, ok := w.vars[strings.ToLower(t.text)]; !ok {
			continue
		}
		if k > i && (w.toks[k-1].is(".") || w.toks[k-1].keyword() == "AS") {
			continue
		}
		if k+1 < j && (w.toks[k+1].is(".") || w.toks[k+1].is("(")) {
			continue
		}
		for _, ref := range refs {
			for _, c := range ref.Columns {
				if strings.EqualFold(c.Name, t.text) {
					return "", w.fail(i, j, fmt.Errorf("variable %s has the name of a column of %s, which the statement reads: BigQuery would read the column; name the variable apart", t.text, ref.Name))
				}
			}
		}
		b.WriteString(w.sql[last:t.pos])
		b.WriteString("@" + strings.ToLower(t.text))
		last = t.end
	}
	b.WriteString(w.sql[last:w.toks[j-1].end])
	return b.String(), nil
}

// referenced lists the catalog's tables that toks[i:j] names.
func (w *walker) referenced(i, j int) []Table {
	names := map[string]bool{}
	for k := i; k < j; k++ {
		t := w.toks[k]
		if t.kind != identTok && t.kind != quotedTok {
			continue
		}
		// A path of parts: a.b.c, `a.b`.c, `a.b.c`.
		var parts []string
		for ; k < j && (w.toks[k].kind == identTok || w.toks[k].kind == quotedTok); k += 2 {
			parts = append(parts, strings.Trim(w.toks[k].text, "`"))
			if k+1 >= j || !w.toks[k+1].is(".") {
				break
			}
		}
		names[strings.ToLower(strings.Join(parts, "."))] = true
	}
	var out []Table
	for _, t := range w.tables {
		if names[strings.ToLower(t.Name)] {
			out = append(out, t)
		}
	}
	return out
}

// field names the declared variable whose struct has a field called
// name, or "".
func (w *walker) field(name string) string {
	for v, typ := range w.vars {
		tp, err := typeProto(typ)
		if err == nil && hasField(tp, name) {
			return v
		}
	}
	return ""
}

// hasField reports a struct field called name anywhere in t.
func hasField(t map[string]any, name string) bool {
	if at, ok := t["array_type"].(map[string]any); ok {
		et, _ := at["element_type"].(map[string]any)
		return hasField(et, name)
	}
	st, _ := t["struct_type"].(map[string]any)
	fs, _ := st["field"].([]any)
	for _, f := range fs {
		fm, _ := f.(map[string]any)
		if n, _ := fm["field_name"].(string); strings.EqualFold(n, name) {
			return true
		}
		if ft, _ := fm["field_type"].(map[string]any); hasField(ft, name) {
			return true
		}
	}
	return false
}

func (w *walker) allParams() map[string]string {
	p := maps.Clone(w.params)
	maps.Copy(p, w.vars)
	return p
}

// created is the table name a CREATE [OR REPLACE] [TEMP] TABLE [IF NOT
// EXISTS] statement at toks[i:j] names.
func (w *walker) created(i, j int) string {
	k := w.find(i, "TABLE")
	if k < 0 || k >= j {
		return ""
	}
	k++
	if w.at(k, "IF") && w.at(k+1, "NOT") && w.at(k+2, "EXISTS") {
		k += 3
	}
	// A path: name(.name)*, each part bare or quoted.
	var parts []string
	for k < j && (w.toks[k].kind == identTok || w.toks[k].kind == quotedTok) {
		parts = append(parts, strings.Trim(w.toks[k].text, "`"))
		if k+1 < j && w.toks[k+1].is(".") {
			k += 2
			continue
		}
		break
	}
	return strings.Join(parts, ".")
}

// end is the index of the ';' ending the statement at i (or the end).
func (w *walker) end(i int) int {
	if k := w.scan(i, func(t token) bool { return t.is(";") }); k >= 0 {
		return k
	}
	return len(w.toks)
}

// find is the index of the first keyword kw at parenthesis depth 0 from i,
// or -1.
func (w *walker) find(i int, kw string) int {
	return w.scan(i, func(t token) bool { return t.keyword() == kw })
}

// scan is the index of the first token from i, outside parentheses and
// brackets, that match accepts, or -1.
func (w *walker) scan(i int, match func(token) bool) int {
	depth := 0
	for k := i; k < len(w.toks); k++ {
		switch t := w.toks[k]; {
		case t.is("(") || t.is("["):
			depth++
		case t.is(")") || t.is("]"):
			depth--
		case depth == 0 && match(t):
			return k
		}
	}
	return -1
}

func (w *walker) at(i int, kw string) bool { return i < len(w.toks) && w.toks[i].keyword() == kw }

// where names a token's line in the script.
func (w *walker) where(i int) string {
	if i >= len(w.toks) {
		return "the end"
	}
	return fmt.Sprintf("line %d", strings.Count(w.sql[:w.toks[i].pos], "\n")+1)
}

// first is the start of the statement toks[i:j], on one line.
func (w *walker) first(i, j int) string {
	s := strings.Join(strings.Fields(w.sql[w.toks[i].pos:w.toks[j-1].end]), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// fail names the statement GoogleSQL rejected.
func (w *walker) fail(i, j int, err error) error {
	return fmt.Errorf("statement at %s (%s): %w", w.where(i), w.first(i, j), err)
}

// canonical writes a type as typeName would.
func canonical(typ string) string {
	t, err := typeProto(typ)
	if err != nil {
		return typ
	}
	return typeName(t)
}
