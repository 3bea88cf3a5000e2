"""Search: the Pagefind index writer (write_pagefind_index.mjs, run by dlqa/hooks/search_index.py),
the public query set, a driver typing into the site's search box, and the search benchmark."""
