"""The clerks' and reviewers' web application: Django views and templates (zh-CN), htmx for the
live parts, and the REST API. A thin layer over pipeline/: every action calls the same functions
the command line and the workers call."""
