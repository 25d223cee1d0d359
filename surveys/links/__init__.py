"""Survey by link (SPEC section 4): the written-survey alternative, answered on the web."""
