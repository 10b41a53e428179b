"""The WSGI application: Django's handler, with the voucher claim's fast path in front of it."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
django_application = get_wsgi_application()

from vouchers.wsgi import ClaimFastPathApplication  # noqa: E402  (needs the app registry set up above)

application = ClaimFastPathApplication(django_application)
