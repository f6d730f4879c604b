"""Reading browsers' HAR 1.2 recordings of a login: the OAuth exchanges they hold, in order.

The diagnosis engine reads a login from these records; the sanitizer rewrites the same entries.

    model        the exchanges and the timeline (the contract with the diagnosis engine)
    reader       read_har / load_har: bounded loading, validation, time order
    triage       the cheap first look at every entry; classify: the exchanges of the few kept
    view, entries  one entry's parts as browsers write them; pages, error_pages: HTML answers
"""
