// Path-pattern routing: "/v1/runs/:id/cancel" style patterns.

function compile(route) {
  const names = [];
  const source = route.path
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) {
        names.push(segment.slice(1));
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

/** Route table; earlier routes win, so list literal paths before `:param` ones. */
export class Router {
  constructor(routes) {
    this.routes = routes.map(compile);
  }

  /**
   * Returns `{route, params}` for a match, `{allowed}` when the path exists
   * with other methods, or null when no route has this path.
   */
  match(method, path) {
    const allowed = [];
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (found === null) {
        continue;
      }
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params = {};
      let decodable = true;
      route.names.forEach((name, index) => {
        try {
          params[name] = decodeURIComponent(found[index + 1]);
        } catch {
          decodable = false;
        }
      });
      if (decodable) {
        return { route, params };
      }
    }
    return allowed.length > 0 ? { allowed: [...new Set(allowed)] } : null;
  }
}
