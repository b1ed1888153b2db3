package service

import (
	"fmt"
	"reflect"
)

// MustDeps is what every context's New calls on its Deps struct: a context is built
// from all of its dependencies, never with a nil one meaning "feature off" (a wiring
// change that drops one must fail at start, not quietly disable purchases with
// coupons). It panics, naming the context and the field, when a pointer, interface,
// func, map or slice field is nil; a field tagged `deps:"optional"` may be nil.
func MustDeps(context string, deps any) {
	if err := CheckDeps(deps); err != nil {
		panic(fmt.Sprintf("%s.New: %v", context, err))
	}
}

// CheckDeps reports the first nil required field of the struct deps.
func CheckDeps(deps any) error {
	v := reflect.ValueOf(deps)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return fmt.Errorf("deps must be a struct, not %s", v.Kind())
	}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Tag.Get("deps") == "optional" {
			continue
		}
		switch fv := v.Field(i); fv.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan:
			if fv.IsNil() {
				return fmt.Errorf("Deps.%s is required", f.Name)
			}
		}
	}
	return nil
}
