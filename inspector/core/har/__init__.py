"""Reading browsers' HAR 1.2 recordings of a login: the OAuth exchanges they hold, in order.

The diagnosis engine reads a login from these records; the sanitizer rewrites the same entries.
"""
