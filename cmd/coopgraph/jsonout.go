package main

import (
	"bytes"
	"encoding"
	"encoding/json"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode"
)

// writeJSON writes v as indented JSON whose object keys are camelCase
// everywhere, as the API's: a struct field without a json tag is named by
// lowerCamel (ID → id, WithA → withA, DisconnectedPairs →
// disconnectedPairs) — the engine's and the domain's types carry no tags —
// a tagged one by its tag; map keys are data (ids, property names) and
// stay as they are. A nil slice is [].
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	if err := camelJSON(&buf, reflect.ValueOf(v)); err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err := w.Write(out.Bytes())
	return err
}

var marshalerType = reflect.TypeFor[json.Marshaler]()
var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

func camelJSON(buf *bytes.Buffer, v reflect.Value) error {
	if !v.IsValid() {
		buf.WriteString("null")
		return nil
	}
	if v.Type().Implements(marshalerType) || v.Type().Implements(textMarshalerType) {
		return plainJSON(buf, v.Interface())
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			buf.WriteString("null")
			return nil
		}
		return camelJSON(buf, v.Elem())
	case reflect.Struct:
		return camelStruct(buf, v)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return plainJSON(buf, v.Interface())
		}
		buf.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := camelJSON(buf, v.Index(i)); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
		return nil
	case reflect.Map:
		if v.IsNil() {
			buf.WriteString("null")
			return nil
		}
		keys := v.MapKeys()
		names := make([]string, len(keys))
		for i, k := range keys {
			b, err := json.Marshal(k.Interface())
			if err != nil {
				return err
			}
			names[i] = strings.Trim(string(b), `"`)
		}
		order := make([]int, len(keys))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return strings.Compare(names[a], names[b]) })
		buf.WriteByte('{')
		for n, i := range order {
			if n > 0 {
				buf.WriteByte(',')
			}
			if err := plainJSON(buf, names[i]); err != nil {
				return err
			}
			buf.WriteByte(':')
			if err := camelJSON(buf, v.MapIndex(keys[i])); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
		return nil
	}
	return plainJSON(buf, v.Interface())
}

func camelStruct(buf *bytes.Buffer, v reflect.Value) error {
	buf.WriteByte('{')
	first := true
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && opts == "" {
			continue
		}
		fv := v.Field(i)
		if strings.Contains(opts, "omitempty") && fv.IsZero() {
			continue
		}
		if name == "" {
			name = lowerCamel(f.Name)
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		if err := plainJSON(buf, name); err != nil {
			return err
		}
		buf.WriteByte(':')
		if fv.Kind() == reflect.Slice && fv.IsNil() {
			buf.WriteString("[]")
			continue
		}
		if err := camelJSON(buf, fv); err != nil {
			return err
		}
	}
	buf.WriteByte('}')
	return nil
}

func plainJSON(buf *bytes.Buffer, v any) error {
	b, err := json.Marshal(v)
	buf.Write(b)
	return err
}

// lowerCamel lowers a Go name's leading capitals: ID → id, IDs → ids,
// WithA → withA, URLPath → urlPath.
func lowerCamel(name string) string {
	r := []rune(name)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	switch {
	case n == 0:
		return name
	case n == len(r) || n > 1 && string(r[n:]) == "s":
		return strings.ToLower(name) // ID → id, IDs → ids
	case n > 1:
		n-- // the last capital starts the next word: URLPath → urlPath
	}
	for i := range n {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}
