package state

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// ErrAlreadyConnected reports a container that is on a network already.
var ErrAlreadyConnected = errdefs.New(errdefs.ClassConflict, "container is already connected to the network")

// ErrNotConnected reports a container that is not on a network.
var ErrNotConnected = errdefs.New(errdefs.ClassNotFound, "container is not connected to the network")

// NetworkMember is one container's membership of one network.
type NetworkMember struct {
	ContainerID string
	Network     string
	// Options are the attachment's options, opaque JSON to this package.
	Options json.RawMessage
}

// ContainerNetworks returns the networks container id is on, by name, with
// each attachment's options.
func (db *DB) ContainerNetworks(ctx context.Context, id string) (map[string]json.RawMessage, error) {
	return db.auto().ContainerNetworks(ctx, id)
}

// NetworkMembers returns every membership, or with networks given only
// those of the named networks, ordered by network then container.
func (db *DB) NetworkMembers(ctx context.Context, networks ...string) ([]NetworkMember, error) {
	return db.auto().NetworkMembers(ctx, networks...)
}

// ConnectNetwork records that container id is on network with opts. It
// fails with ErrAlreadyConnected when it is, and with ErrNoSuchContainer
// when the container is gone.
func (db *DB) ConnectNetwork(ctx context.Context, id, network string, opts json.RawMessage) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.ConnectNetwork(ctx, id, network, opts) })
}

// DisconnectNetwork removes container id from network; ErrNotConnected
// when it was not on it.
func (db *DB) DisconnectNetwork(ctx context.Context, id, network string) error {
	return db.auto().DisconnectNetwork(ctx, id, network)
}

// ContainerNetworks; see DB.ContainerNetworks.
func (tx *Tx) ContainerNetworks(ctx context.Context, id string) (map[string]json.RawMessage, error) {
	rows, err := tx.q.QueryContext(ctx,
		`SELECT network, options FROM container_networks WHERE container_id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("reading networks of container %s: %w", id, err)
	}
	defer rows.Close()
	out := map[string]json.RawMessage{}
	for rows.Next() {
		var name, opts string
		if err := rows.Scan(&name, &opts); err != nil {
			return nil, fmt.Errorf("reading networks of container %s: %w", id, err)
		}
		out[name] = json.RawMessage(opts)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading networks of container %s: %w", id, err)
	}
	return out, nil
}

// NetworkMembers; see DB.NetworkMembers.
func (tx *Tx) NetworkMembers(ctx context.Context, networks ...string) ([]NetworkMember, error) {
	rows, err := tx.q.QueryContext(ctx,
		`SELECT container_id, network, options FROM container_networks ORDER BY network, container_id`)
	if err != nil {
		return nil, fmt.Errorf("listing network members: %w", err)
	}
	defer rows.Close()
	want := map[string]bool{}
	for _, n := range networks {
		want[n] = true
	}
	var out []NetworkMember
	for rows.Next() {
		var m NetworkMember
		var opts string
		if err := rows.Scan(&m.ContainerID, &m.Network, &opts); err != nil {
			return nil, fmt.Errorf("listing network members: %w", err)
		}
		if len(want) > 0 && !want[m.Network] {
			continue
		}
		m.Options = json.RawMessage(opts)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing network members: %w", err)
	}
	return out, nil
}

// ConnectNetwork; see DB.ConnectNetwork.
func (tx *Tx) ConnectNetwork(ctx context.Context, id, network string, opts json.RawMessage) error {
	if network == "" {
		return fmt.Errorf("connecting container %s: empty network name: %w", id, errdefs.ErrInvalidArg)
	}
	if err := validJSON("network options", opts); err != nil {
		return err
	}
	if len(opts) == 0 {
		opts = json.RawMessage(`{}`)
	}
	if _, err := tx.Container(ctx, id); err != nil {
		return err
	}
	_, err := tx.q.ExecContext(ctx,
		`INSERT INTO container_networks (container_id, network, options) VALUES (?, ?, ?)`,
		id, network, string(opts))
	switch {
	case isUniqueViolation(err):
		return fmt.Errorf("container %s is on network %s already: %w", id, network, ErrAlreadyConnected)
	case isForeignKeyViolation(err):
		return fmt.Errorf("no container with ID %q found: %w", id, errdefs.ErrNoSuchContainer)
	case err != nil:
		return fmt.Errorf("connecting container %s to network %s: %w", id, network, err)
	}
	return nil
}

// DisconnectNetwork; see DB.DisconnectNetwork.
func (tx *Tx) DisconnectNetwork(ctx context.Context, id, network string) error {
	res, err := tx.q.ExecContext(ctx,
		`DELETE FROM container_networks WHERE container_id = ? AND network = ?`, id, network)
	if err != nil {
		return fmt.Errorf("disconnecting container %s from network %s: %w", id, network, err)
	}
	return mustAffect(res, fmt.Errorf("container %s is not on network %s: %w", id, network, ErrNotConnected))
}

// addNetworks records a new container's networks (AddContainer's part).
func (tx *Tx) addNetworks(ctx context.Context, id string, nets map[string]json.RawMessage) error {
	names := make([]string, 0, len(nets))
	for n := range nets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := tx.ConnectNetwork(ctx, id, n, nets[n]); err != nil {
			return err
		}
	}
	return nil
}
