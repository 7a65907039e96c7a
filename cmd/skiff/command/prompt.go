package command

import (
	"bufio"
	"io"
	"strings"
)

// Confirm asks question the way Docker's prompts do: the question and
// " [y/N] " on out (stdout, not stderr, as Docker writes it), then one line
// from in. Only "y" or "Y" agrees; anything else, an empty line or the end
// of input (a script with no stdin) declines. A declined prompt is not an
// error: Docker's commands then print nothing more and exit 0.
func Confirm(in io.Reader, out io.Writer, question string) bool {
	_, _ = io.WriteString(out, question+" [y/N] ")
	line, _ := bufio.NewReader(in).ReadString('\n')
	return strings.EqualFold(strings.TrimSpace(line), "y")
}
