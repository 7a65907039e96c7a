// Package native serves skiff's own API, the one pkg/client and
// pkg/engine/remote speak: one route per engine method, under "/skiff/v1"
// (wire.Prefix; Routes returns full patterns), carrying the engine's option
// and report types unchanged as JSON. It translates nothing and holds no
// engine logic: every handler decodes, calls one engine method, encodes.
//
// It owns the handlers only. The listener, middleware and hijacking belong
// to api-compat/server; the frame format, the error form and the envelopes
// to pkg/client/wire (shared with the client). It must not import libpod,
// pkg/engine/local or cobra.
//
// # Routes
//
// Paths below are relative to /skiff/v1. Bodies are JSON unless noted;
// "bulk" bodies are wire.Bulk{names, options}.
//
//	GET  /ping                         wire.Ping (tells skiff from other Docker API peers)
//	GET  /info, /version               engine.Info, engine.Version
//	POST /events                       stream of FrameEvent; body EventsOptions
//	POST /containers/create            CreateOptions -> CreateReport
//	POST /containers/run               RunOptions -> RunReport (stream unless Detach)
//	POST /containers/start             bulk StartOptions -> []wire.ActionReport (stream with Attach)
//	POST /containers/{stop,kill,pause,unpause,restart,remove}  bulk -> []wire.ActionReport
//	POST /containers/list              ListOptions -> []ListContainer
//	POST /containers/inspect           bulk InspectOptions -> []InspectContainer
//	POST /containers/wait              bulk WaitOptions -> []wire.WaitReport (stream)
//	POST /containers/prune             PruneOptions -> PruneReport
//	GET  /containers/{name}/exists     wire.Exists
//	POST /containers/{name}/logs       LogsOptions (stream)
//	POST /containers/{name}/attach     AttachOptions (stream)
//	POST /containers/{name}/exec       ExecOptions -> ExecReport (stream unless Detach)
//	POST /containers/{name}/exec/create ExecOptions -> wire.ExecID
//	POST /containers/{name}/rename     RenameOptions -> 204
//	POST /containers/{name}/resize     TerminalSize -> 204
//	POST /containers/{name}/cleanup    CleanupOptions -> 204
//	POST /exec/{id}/start              ExecStartOptions -> ExecReport (stream unless Detach)
//	POST /exec/{id}/resize             TerminalSize -> 204
//	GET  /exec/{id}/json               ExecInspect
//	POST /images/import                body: the tarball; header Skiff-Options: ImportOptions -> ImportReport
//	POST /images/list                  ImageListOptions -> ImageListReport
//	POST /images/remove                bulk ImageRemoveOptions -> []ImageRemoveReport
//	GET  /images/exists?name=REF       wire.Exists
//	POST /images/inspect               bulk (no options) -> []InspectImage
//	POST /images/tag                   wire.Named{name, TagOptions} -> 204
//	POST /images/untag                 wire.Named{name, UntagOptions} -> 204
//	GET  /images/history?name=REF      []ImageHistory
//	POST /images/pull                  PullOptions -> PullReport (stream: progress as stdout)
//	POST /images/push                  PushOptions -> PushReport (stream: progress as stdout)
//	POST /images/save                  SaveOptions (no Output) (stream: the archive as stdout)
//	POST /images/load                  body: the archive; header Skiff-Options: LoadOptions -> LoadReport
//	GET  /images/diff?name=CTR|IMAGE   []Change (a container's layer, else an image's top layer)
//	POST /images/prune                 ImagePruneOptions -> ImagePruneReport
//	POST /images/search                SearchOptions -> []SearchResult
//	POST /manifests/create             wire.Named{name, ManifestAddOptions} -> list ID (JSON string)
//	POST /manifests/add                wire.Named{list, ManifestAddOptions} -> instance digest (JSON string)
//	GET  /manifests/inspect?name=LIST  the list (OCI index JSON)
//	POST /manifests/remove             bulk (no options) -> []ImageRemoveReport
//	POST /manifests/push               PushOptions (Source: the list) -> PushReport (stream: progress)
//	POST /images/commit                wire.Named{container, CommitOptions} -> CommitReport
//	POST /containers/export            wire.Named{container} (stream: the tar as stdout)
//	POST /networks/create              NetworkCreateOptions -> NetworkReport
//	POST /networks/list                NetworkListOptions -> []NetworkReport
//	POST /networks/inspect             bulk (no options) -> []NetworkReport (the found ones as value on error)
//	POST /networks/remove              bulk NetworkRemoveOptions -> []wire.ActionReport
//	POST /networks/prune               NetworkPruneOptions -> NetworkPruneReport
//	GET  /networks/exists?name=NET     wire.Exists
//	POST /networks/{connect,disconnect} wire.Named{network, Network(Dis)ConnectOptions} -> 204
//
// # Errors
//
// A failed call answers the status errdefs.HTTPStatus gives its class with
// a wire.ErrorBody: {"message", "cause" (class), "sentinel" (the errdefs
// wire name of the sentinel it wraps), "exit_code", and "value" for a
// partial result}. A 304 has no body; its wire.Error is in
// the Skiff-Error header instead. The client rebuilds the same error from
// it, so errors.Is(err, engine.ErrNoSuchContainer) and exit codes hold
// remotely exactly as they do locally.
//
// # Streams
//
// Routes marked "stream" are HTTP upgrades to a raw connection (the client
// sends "Connection: Upgrade", "Upgrade: tcp"; the server answers 101)
// that then carries the frames documented in pkg/client/wire:
// [type byte][uint32 BE length][payload]. Client to server: stdin,
// stdin-EOF, resize (JSON TerminalSize); server to client: stdout, stderr,
// event (JSON Event) and one final result frame ({"value", "error"}). Stdin
// frames are read only when the request had "Skiff-Stdin: 1". A client that
// closes the connection cancels the call.
package native
