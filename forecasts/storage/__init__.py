"""Storage: the database schema, records, revisions, queries, imports and exports, accounts.

Knows the engine's value types, not its maths, and nothing of reading words or the web.
"""
