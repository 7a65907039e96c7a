// Package command holds what skiff's cobra commands share: the global
// options, the lazily opened engine, terminal handling (and Docker's
// refusal of -it without a terminal), Docker's y/N prompt, the help layout
// (flag sections, Docker's flag names as aliases), the one table of
// Docker's commands skiff does not have yet, and the helpers that turn
// reports into Docker-style output. It holds no engine logic.
package command
