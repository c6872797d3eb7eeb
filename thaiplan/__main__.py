import sys

from thaiplan.cli import main

sys.exit(main())
