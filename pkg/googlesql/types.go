package googlesql

import (
	"fmt"
	"strings"
)

// kinds maps GoogleSQL's type names (BigQuery's spelling) to ZetaSQL's
// TypeKind names, and back.
var kinds = map[string]string{
	"STRING": "TYPE_STRING", "INT64": "TYPE_INT64", "BOOL": "TYPE_BOOL", "FLOAT64": "TYPE_DOUBLE",
	"NUMERIC": "TYPE_NUMERIC", "BIGNUMERIC": "TYPE_BIGNUMERIC", "BYTES": "TYPE_BYTES",
	"TIMESTAMP": "TYPE_TIMESTAMP", "DATE": "TYPE_DATE", "DATETIME": "TYPE_DATETIME", "TIME": "TYPE_TIME",
	"JSON": "TYPE_JSON", "INTERVAL": "TYPE_INTERVAL", "GEOGRAPHY": "TYPE_GEOGRAPHY",
}

// typeProto turns a GoogleSQL type as written in SQL (INT64,
// ARRAY<STRING>, STRUCT<name STRING, failed INT64>) into a TypeProto in
// its JSON form.
func typeProto(s string) (map[string]any, error) {
	t, rest, err := parseType(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("type %q: %w", s, err)
	}
	if strings.TrimSpace(rest) != "" {
		return nil, fmt.Errorf("type %q: unexpected %q", s, rest)
	}
	return t, nil
}

func parseType(s string) (map[string]any, string, error) {
	s = strings.TrimLeft(s, " \t\n")
	word := s
	if i := strings.IndexAny(s, "<>, \t\n"); i >= 0 {
		word = s[:i]
	}
	rest := strings.TrimLeft(s[len(word):], " \t\n")
	switch up := strings.ToUpper(word); up {
	case "ARRAY":
		if !strings.HasPrefix(rest, "<") {
			return nil, "", fmt.Errorf("ARRAY without <element type>")
		}
		elem, rest, err := parseType(rest[1:])
		if err != nil {
			return nil, "", err
		}
		rest = strings.TrimLeft(rest, " \t\n")
		if !strings.HasPrefix(rest, ">") {
			return nil, "", fmt.Errorf("ARRAY<...> not closed")
		}
		return map[string]any{"type_kind": "TYPE_ARRAY", "array_type": map[string]any{"element_type": elem}}, rest[1:], nil
	case "STRUCT":
		if !strings.HasPrefix(rest, "<") {
			return nil, "", fmt.Errorf("STRUCT without <fields>")
		}
		rest = rest[1:]
		var fields []any
		for {
			// A field is "name TYPE", or a TYPE alone (unnamed).
			rest = strings.TrimLeft(rest, " \t\n")
			name := rest
			if i := strings.IndexAny(rest, "<>, \t\n"); i >= 0 {
				name = rest[:i]
			}
			after := strings.TrimLeft(rest[len(name):], " \t\n")
			if after == "" || after[0] == ',' || after[0] == '>' || after[0] == '<' {
				name = ""
			}
			ft, r, err := parseType(rest[len(name):])
			if err != nil {
				return nil, "", fmt.Errorf("field %s: %w", name, err)
			}
			fields = append(fields, map[string]any{"field_name": name, "field_type": ft})
			r = strings.TrimLeft(r, " \t\n")
			switch {
			case strings.HasPrefix(r, ","):
				rest = r[1:]
				continue
			case strings.HasPrefix(r, ">"):
				return map[string]any{"type_kind": "TYPE_STRUCT", "struct_type": map[string]any{"field": fields}}, r[1:], nil
			default:
				return nil, "", fmt.Errorf("STRUCT<...> not closed")
			}
		}
	default:
		k, ok := kinds[up]
		if !ok {
			return nil, "", fmt.Errorf("unknown type %q", word)
		}
		return map[string]any{"type_kind": k}, rest, nil
	}
}

// typeName writes a TypeProto (in its JSON form, proto field names) back in GoogleSQL's
// spelling, for messages and comparisons.
func typeName(t map[string]any) string {
	kind, _ := t["type_kind"].(string)
	switch kind {
	case "TYPE_ARRAY":
		at, _ := t["array_type"].(map[string]any)
		et, _ := at["element_type"].(map[string]any)
		return "ARRAY<" + typeName(et) + ">"
	case "TYPE_STRUCT":
		st, _ := t["struct_type"].(map[string]any)
		fs, _ := st["field"].([]any)
		parts := make([]string, 0, len(fs))
		for _, f := range fs {
			fm, _ := f.(map[string]any)
			name, _ := fm["field_name"].(string)
			ft, _ := fm["field_type"].(map[string]any)
			parts = append(parts, strings.TrimSpace(name+" "+typeName(ft)))
		}
		return "STRUCT<" + strings.Join(parts, ", ") + ">"
	}
	for name, k := range kinds {
		if k == kind {
			return name
		}
	}
	return kind
}
