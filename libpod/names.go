package libpod

import (
	"fmt"
	"math/rand/v2"
)

// Docker-style generated names: adjective_noun, with a number appended on
// retries so a crowded store still finds a free name quickly.
var (
	adjectives = []string{
		"admiring", "agile", "bold", "brave", "calm", "clever", "cool", "crisp",
		"daring", "eager", "fervent", "gentle", "happy", "jolly", "keen", "kind",
		"lucid", "merry", "modest", "nimble", "noble", "quiet", "quick", "serene",
		"sharp", "steady", "sturdy", "swift", "tender", "vibrant", "witty", "zen",
	}
	nouns = []string{
		"albatross", "anchor", "beacon", "breeze", "buoy", "cove", "current",
		"dinghy", "dolphin", "estuary", "ferry", "fjord", "gull", "harbor",
		"heron", "inlet", "kayak", "keel", "lagoon", "mast", "oar", "otter",
		"pelican", "pier", "reef", "rudder", "sail", "schooner", "skiff",
		"tern", "tide", "wave",
	}
)

func randomName(attempt int) string {
	name := adjectives[rand.IntN(len(adjectives))] + "_" + nouns[rand.IntN(len(nouns))]
	if attempt > 0 {
		name = fmt.Sprintf("%s%d", name, rand.IntN(1000))
	}
	return name
}
