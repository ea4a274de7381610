import sys

from referral_app.app import main

sys.exit(main())
