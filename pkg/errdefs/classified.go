package errdefs

// classified is skiff's one error that pairs a message of its own with the
// errors it stands for: a message that already says what is wrong in full
// (where a sentinel's text appended by %w would only repeat it), a message
// in another's wording (Docker's), or a message that crossed the wire. Its
// causes stay in the chain for errors.Is and errors.As; its class is the
// one it was given, else the first its causes have.
type classified struct {
	msg    string
	class  Class
	causes []error
}

func (e *classified) Error() string   { return e.msg }
func (e *classified) Unwrap() []error { return e.causes }

// Class reports the class the error was given, else its causes' class.
func (e *classified) Class() Class {
	if e.class != ClassUnknown {
		return e.class
	}
	for _, c := range e.causes {
		if cl := ClassOf(c); cl != ClassUnknown {
			return cl
		}
	}
	return ClassUnknown
}

// As makes an error with exactly msg as its text that matches sentinel.
func As(sentinel *Error, msg string) error { return Reword(msg, sentinel) }

// Reword makes an error with exactly msg as its text that still matches
// each of causes (errors.Is, errors.As) and takes its class from them.
func Reword(msg string, causes ...error) error {
	return WithClass(ClassUnknown, msg, causes...)
}

// WithClass is Reword with class c whatever the causes' class is
// (ClassUnknown: the causes' class). The remote client uses it for an
// error whose class the server named.
func WithClass(c Class, msg string, causes ...error) error {
	kept := make([]error, 0, len(causes))
	for _, err := range causes {
		if err != nil {
			kept = append(kept, err)
		}
	}
	return &classified{msg: msg, class: c, causes: kept}
}
