"""Services: what the pages, the API, the admin and the command line call.

The only layer that combines the others: it reads from storage, runs the engine and the reader,
and returns the values the web layer renders.
"""
