"""casefile: the Django project (settings), configuration and the command line."""
