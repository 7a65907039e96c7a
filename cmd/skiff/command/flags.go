package command

import "github.com/spf13/pflag"

// AliasFlags makes each alias (a key of aliases) another name of the flag
// it maps to, so `--time 5` is `--timeout 5`: Docker's name is the flag,
// Podman's spelling keeps working. Help lists the flag under its own name
// only; Changed reports either spelling.
func AliasFlags(fs *pflag.FlagSet, aliases map[string]string) {
	fs.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if to, ok := aliases[name]; ok {
			return pflag.NormalizedName(to)
		}
		return pflag.NormalizedName(name)
	})
}
