"""Models of this app arrive with its capability issue."""
