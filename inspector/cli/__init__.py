"""The command-line twin of the GUI: argparse subcommands over the core, text or --json output."""
