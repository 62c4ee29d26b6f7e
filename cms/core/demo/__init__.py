"""Demo content: realistic French sample data for ``manage.py seed_demo`` and the benchmark data set.

``data`` holds the static vocabulary (cities, partners, organisations, mission texts), ``missions`` the seeded
generators and bulk loaders shared with ``tests/bench``, ``images`` the Pillow-drawn pictures, ``seed`` the command's
logic.
"""
