"""casefile: the command line and the Django project (settings, URLs, WSGI); configuration is config/."""
