"""`python -m inspector`: the GUI unless a subcommand is given."""

from inspector.cli.main import main

raise SystemExit(main())
