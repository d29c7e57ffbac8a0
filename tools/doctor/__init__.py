"""`make doctor`: checks the machine for what `make dev` and `make test` need and says
what to fix (Python, Node.js, pnpm, free ports, disk space, PostgreSQL and Redis).

Standard library only and no 3.11-only syntax, so it runs before `make setup` has made
the virtualenv, on the Python it may have to reject.
"""
