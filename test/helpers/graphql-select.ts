/** A field of a GraphQL selection set: its name and, for objects, what is selected in it. */
interface Selection {
  name: string;
  fields: Selection[] | null;
  /** `...name` or `... on Type`: the fields are spread into the parent. */
  spread?: string;
}

const TOKEN =
  /\.\.\.|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*"|[{}():,!=[\]@]|-?\d+(?:\.\d+)?/g;

/**
 * The data of a GraphQL operation, reduced to exactly the fields its query selects (gh rejects
 * answers with fields it did not ask for). Arguments are ignored: the caller picks the data from
 * the operation name and variables. Fragments (`fragment x on T {…}`, `...x`, `... on T {…}`)
 * are spread; a field the data lacks is null.
 */
export function selectFields(query: string, data: Record<string, unknown>): unknown {
  const tokens = query.match(TOKEN) ?? [];
  let at = 0;
  const fragments = new Map<string, Selection[]>();
  let operation: Selection[] = [];

  const skipBalanced = (open: string, close: string): void => {
    let depth = 0;
    do {
      const token = tokens[at++];
      if (token === open) depth++;
      else if (token === close) depth--;
    } while (depth > 0 && at < tokens.length);
  };
  const selectionSet = (): Selection[] => {
    const fields: Selection[] = [];
    at++; // {
    while (at < tokens.length && tokens[at] !== '}') {
      const token = tokens[at++] ?? '';
      if (token === ',') continue;
      if (token === '...') {
        if (tokens[at] === 'on') {
          at += 2;
          fields.push({ name: '', fields: selectionSet(), spread: '' });
        } else fields.push({ name: '', fields: null, spread: tokens[at++] ?? '' });
        continue;
      }
      let name = token;
      if (tokens[at] === ':') {
        at++;
        name = tokens[at++] ?? name;
      }
      if (tokens[at] === '(') skipBalanced('(', ')');
      fields.push({ name, fields: tokens[at] === '{' ? selectionSet() : null });
    }
    at++; // }
    return fields;
  };
  while (at < tokens.length) {
    const token = tokens[at++];
    if (token === 'fragment') {
      const name = tokens[at] ?? '';
      at += 3; // name on Type
      fragments.set(name, selectionSet());
    } else if (token === 'query' || token === 'mutation') {
      while (tokens[at] !== '{' && tokens[at] !== '(') at++;
      if (tokens[at] === '(') skipBalanced('(', ')');
      operation = selectionSet();
    } else if (token === '{') {
      at--;
      operation = selectionSet();
    }
  }

  const resolve = (value: unknown, fields: Selection[]): unknown => {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.map((item) => resolve(item, fields));
    const object = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      if (field.spread !== undefined) {
        const spread = field.fields ?? fragments.get(field.spread) ?? [];
        Object.assign(out, resolve(object, spread));
      } else if (field.fields === null) out[field.name] = object[field.name] ?? null;
      else out[field.name] = resolve(object[field.name], field.fields);
    }
    return out;
  };
  return resolve(data, operation);
}
