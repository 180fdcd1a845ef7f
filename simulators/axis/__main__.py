"""``python -m simulators.axis --port P --db FILE --config FILE [--parent PID]``"""

import sys

from simulators.axis.server import main

sys.exit(main())
