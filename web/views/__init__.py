"""Pages of the web application, one module per area: home (dashboard), batches (upload and
progress), review (queue and the review screen), cases (case file, flags), pages (scan images)."""
