from visites.cli import main

raise SystemExit(main())
