"""The bundle's entry point: Tramontane's own main()."""

from app.main import main

raise SystemExit(main())
