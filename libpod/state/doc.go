// Package state owns skiff's embedded SQLite database: the schema, its
// ordered migrations, and the short transactions every engine operation uses
// to read and record container, exec-session and event data.
//
// Many skiff processes use the same database file at once, so the package
// never holds a lock for the life of a command: each operation is either a
// single autocommitted statement or a short BEGIN IMMEDIATE transaction, and
// a long busy timeout makes concurrent writers wait instead of failing.
//
// Records carry the caller's configuration and state as opaque JSON
// (json.RawMessage), so this package does not know libpod's types. It must
// not import libpod or anything that knows about runc, conmon or images; it
// only stores what it is given.
//
// The file stays bounded: auto_vacuum returns the pages of deleted records
// to the file system, and only the newest EventsKept events are kept. What
// one container record may hold is bounded by its caller's validation
// (pkg/specgen), not here.
//
// Callers open the database once per process with Open and share the *DB.
package state
