"""``python -m cyclr_widgets`` runs the ``cyclr-widgets`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
