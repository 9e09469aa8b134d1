"""Conference tasks are scoped records: kept in the pages and the API (services, visibility), not
in the admin, which would bypass both."""
