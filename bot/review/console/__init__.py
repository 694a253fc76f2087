"""The review console in the browser (`python run.py review serve`): sign-in by one-use link, the
overview, conversations, unanswered clusters with one-click actions on the fact base, the fact base
itself, thresholds and export. Starlette + Jinja2 under uvicorn, no build step.

Modules: app (factory, guard, headers), auth (links, sessions, CSRF, the brake on bad links),
pages (routes), data (the only door to the store), facts (edits of knowledge/ with undo), texts
(de/en/zh), serve (the command line's two entries). Never imports telegram or a database driver.
"""
