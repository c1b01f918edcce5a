from web.roles import ROLE_ZH, role_of


def role(request) -> dict:
    name = role_of(getattr(request, "user", None))
    return {"role": name, "role_zh": ROLE_ZH.get(name, "")}
