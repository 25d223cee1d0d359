"""The demo city of `manage.py seed_demo` (SPEC sections 7 and 11): every demo builder lives
here, above the apps it fills, and writes through their own services and importers. No other
app imports this one."""
