"""The Open311 GeoReport v2 door into the report centre (SPEC section 9)."""
