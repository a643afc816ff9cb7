CASES = []
# Routes and API routes anyone may use without logging in.
PUBLIC_ROUTES = set()
PUBLIC_API = set()
