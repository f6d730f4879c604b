"""The frozen app's entry point: the same ``main`` as the ``token-inspector`` console script, so
one executable opens the window (no arguments) and runs every subcommand."""

from inspector.cli.main import main

raise SystemExit(main())
