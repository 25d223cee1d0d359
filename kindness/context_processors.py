from kindness.roles import Role, roles_of


def roles(request) -> dict:
    """The signed-in user's roles, for navigation. Views check permissions themselves."""
    user_roles = roles_of(getattr(request, "user", None))
    return {"user_roles": user_roles, "Role": Role}
