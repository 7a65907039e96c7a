package command

import (
	"fmt"
	"os"
	"strings"
)

func printErr(err error) {
	fmt.Fprintln(os.Stderr, "Error: "+strings.ReplaceAll(err.Error(), "\n", " "))
}

// PrintError prints err as skiff prints a failure, one "Error: " line on
// stderr, for a command that goes on after it.
func PrintError(err error) { printErr(err) }
