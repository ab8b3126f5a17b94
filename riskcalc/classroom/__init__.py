"""Classroom: lessons, seeded exercises with auto-checking, worksheets and live class sessions.

Pure logic lives here (no views): :mod:`.answers` reads and checks an answer,
:mod:`.exercises` builds exercises from a seed with the calculator core, :mod:`.lessons` loads
the reviewed lesson files in ``content/classroom/``, :mod:`.sessions` runs class sessions
(join codes, tokens, submissions, dashboard figures) and :mod:`.ratelimit` counts requests in
the database, atomically.
"""
