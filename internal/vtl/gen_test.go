package vtl

const (
	generatorSeed  = 20261122
	generatedCount = 0
)

func generateTemplates(seed int64, n int) []string { return nil }
