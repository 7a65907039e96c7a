package command

import (
	"fmt"
	"os"
	"strings"
)

func printErr(err error) {
	fmt.Fprintln(os.Stderr, "Error: "+strings.ReplaceAll(err.Error(), "\n", " "))
}
