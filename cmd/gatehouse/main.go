// Command gatehouse runs an AWS API Gateway compatible gateway: the management
// APIs on the wire and (as they land) the data plane, in one binary with an
// embedded store.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	root := &cobra.Command{
		Use:   "gatehouse",
		Short: "An AWS API Gateway compatible gateway in one binary",
		Long: `Gatehouse speaks the API Gateway management APIs on the wire, so the AWS CLI,
boto3, the AWS SDKs and CDK work against it unchanged:

  gatehouse serve
  aws --endpoint-url http://127.0.0.1:4566 apigatewayv2 get-apis

Every flag of 'serve' can also be set with a GATEHOUSE_* environment variable
(--data-dir ⇔ GATEHOUSE_DATA_DIR); flags win over the environment.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(serveCommand(), versionCommand(), vtlCommand())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "gatehouse:", err)
		os.Exit(1)
	}
}

func versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the Gatehouse version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "gatehouse", version)
		},
	}
}
