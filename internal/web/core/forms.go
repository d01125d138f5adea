package core

import "qifu/internal/fault"

// FormErrors turns a validation error into messages by field, or returns
// the error when it is not about fields.
func FormErrors(err error, lang string) (map[string]string, error) {
	fe := fault.As(err)
	if fe == nil || len(fe.Fields) == 0 {
		return nil, err
	}
	m := map[string]string{}
	for k, v := range fe.Fields {
		m[k] = v.In(lang)
	}
	return m, nil
}

// FieldErrors are the messages of fields in lang.
func FieldErrors(f fault.Fields, lang string) map[string]string {
	m := map[string]string{}
	for k, v := range f {
		m[k] = v.In(lang)
	}
	return m
}
