#!/usr/bin/env python3
"""The seed-squares worker, runnable without installing: python3 squares_worker.py --help"""

import os
import sys

# The package sits next to this file; put it first on the path so no install is needed.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checkpointd.squares import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
